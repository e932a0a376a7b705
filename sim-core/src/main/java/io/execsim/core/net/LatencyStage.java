package io.execsim.core.net;

import io.execsim.core.net.toxic.Latency;
import io.execsim.core.sched.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/** {@link Latency} at work: each segment is due its delay after it arrived, and never before the one ahead of it. */
final class LatencyStage extends ActiveToxic {
  private final Latency toxic;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private @Nullable Instant lastDue;
  private Scheduler.@Nullable Cancellable timer;

  private record Held(Instant due, Segment segment) {
  }

  LatencyStage(ToxicChain chain, Latency toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public Latency toxic() {
    return toxic;
  }

  @Override
  void onStart(long offset) {
    fired(offset);
  }

  @Override
  void onSegment(Segment s) {
    Instant due = now().plus(delay());
    if (lastDue != null && due.isBefore(lastDue)) {
      due = lastDue;
    }
    lastDue = due;
    held.add(new Held(due, s));
    if (timer == null) {
      arm();
    }
  }

  private Duration delay() {
    long jitter = toxic.jitter().toNanos();
    if (jitter == 0) {
      return toxic.latency();
    }
    long offset = Math.round((2 * random().nextDouble() - 1) * jitter);
    return toxic.latency().plusNanos(offset);
  }

  private void arm() {
    Held next = held.peek();
    timer = next == null ? null : later(Duration.between(now(), next.due()), this::release);
  }

  private void release() {
    Instant now = now();
    while (!held.isEmpty() && !held.peek().due().isAfter(now)) {
      pass(held.poll().segment());
      if (isDone()) {
        return;
      }
    }
    arm();
  }

  @Override
  void onFlush() {
    cancel();
    while (!held.isEmpty()) {
      pass(held.poll().segment());
    }
  }

  @Override
  void onDrop() {
    cancel();
    held.clear();
  }

  private void cancel() {
    Scheduler.Cancellable t = timer;
    if (t != null) {
      t.cancel();
      timer = null;
    }
  }
}
