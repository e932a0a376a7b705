package io.execsim.core.net;

import io.execsim.core.sched.Scheduler;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A toxic at work that holds segments in a queue and lets them on as its timer decides; on removal what it holds
 * flows on at once, in order, and when its way closes it is dropped.
 */
abstract class HoldingStage extends ActiveToxic {
  /** The segments held, oldest first. */
  final ArrayDeque<Segment> queue = new ArrayDeque<>();
  /** The pending release, if one is scheduled. */
  Scheduler.@Nullable Cancellable timer;

  HoldingStage(ToxicChain chain, long fromOffset) {
    super(chain, fromOffset);
  }

  @Override
  void onStart(long offset) {
    fired(offset);
  }

  @Override
  final void onFlush() {
    cancelTimer();
    while (!queue.isEmpty()) {
      pass(queue.poll());
    }
  }

  @Override
  final void onDrop() {
    cancelTimer();
    queue.clear();
  }

  private void cancelTimer() {
    Scheduler.Cancellable t = timer;
    if (t != null) {
      t.cancel();
      timer = null;
    }
  }
}
