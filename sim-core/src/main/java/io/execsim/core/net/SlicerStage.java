package io.execsim.core.net;

import io.execsim.core.net.toxic.Slicer;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** {@link Slicer} at work: one slice at a time, the next no sooner than the delay after the last. */
final class SlicerStage extends HoldingStage {
  private final Slicer toxic;
  private @Nullable Instant readyAt;

  SlicerStage(ToxicChain chain, Slicer toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public Slicer toxic() {
    return toxic;
  }

  @Override
  void onSegment(Segment s) {
    queue.add(s);
    if (timer == null) {
      pump();
    }
  }

  private void pump() {
    timer = null;
    while (!queue.isEmpty()) {
      Segment head = queue.poll();
      if (head.isFin()) {
        pass(head);
      } else {
        Instant now = now();
        Instant ready = readyAt;
        if (ready != null && now.isBefore(ready)) {
          queue.addFirst(head);
          timer = later(Duration.between(now, ready), this::pump);
          return;
        }
        int size = Math.min(sliceSize(), head.length());
        Segment slice = head;
        if (size < head.length()) {
          slice = head.head(head.offset() + size);
          queue.addFirst(head.tail(head.offset() + size));
        }
        readyAt = now.plus(toxic.delay());
        pass(slice);
      }
      if (isDone()) {
        return;
      }
    }
  }

  private int sliceSize() {
    int variation = toxic.sizeVariation();
    if (variation == 0) {
      return toxic.averageSize();
    }
    return toxic.averageSize() + random().nextInt(2 * variation + 1) - variation;
  }
}
