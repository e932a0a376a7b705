package io.execsim.core.net;

import io.execsim.core.net.toxic.Bandwidth;
import java.time.Duration;

/**
 * {@link Bandwidth} at work: one piece crosses at a time, taking its size divided by the rate; a piece is at most a
 * tenth of a second's worth of bytes.
 */
final class BandwidthStage extends HoldingStage {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Bandwidth toxic;
  private final long pieceSize;

  BandwidthStage(ToxicChain chain, Bandwidth toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
    this.pieceSize = Math.max(1, toxic.bytesPerSecond() / 10);
  }

  @Override
  public Bandwidth toxic() {
    return toxic;
  }

  @Override
  void onSegment(Segment s) {
    queue.add(s);
    if (timer == null) {
      next();
    }
  }

  private void next() {
    timer = null;
    while (!queue.isEmpty() && queue.peek().isFin()) {
      pass(queue.poll());
      if (isDone()) {
        return;
      }
    }
    Segment head = queue.peek();
    if (head == null) {
      return;
    }
    int size = (int) Math.min(head.length(), pieceSize);
    timer = later(transmission(size), () -> {
      Segment whole = queue.poll();
      if (whole == null) {
        return;
      }
      Segment piece = whole;
      if (size < whole.length()) {
        piece = whole.head(whole.offset() + size);
        queue.addFirst(whole.tail(whole.offset() + size));
      }
      pass(piece);
      if (!isDone()) {
        next();
      }
    });
  }

  /** The time {@code bytes} take at the rate, rounded up to the nanosecond. */
  private Duration transmission(int bytes) {
    long rate = toxic.bytesPerSecond();
    long whole = bytes / rate * NANOS_PER_SECOND;
    long rest = bytes % rate * NANOS_PER_SECOND;
    return Duration.ofNanos(whole + rest / rate + (rest % rate == 0 ? 0 : 1));
  }
}
