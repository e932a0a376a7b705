package io.execsim.core.net;

import io.execsim.core.net.toxic.Stall;
import java.util.ArrayDeque;

/** {@link Stall} at work: everything is held until removal. */
final class StallStage extends ActiveToxic {
  private final Stall toxic;
  private final ArrayDeque<Segment> held = new ArrayDeque<>();

  StallStage(LinkDirection direction, Stall toxic, long fromOffset) {
    super(direction, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public Stall toxic() {
    return toxic;
  }

  @Override
  void onStart(long offset) {
    fired(offset);
  }

  @Override
  void onSegment(Segment s) {
    held.add(s);
  }

  @Override
  void onFlush() {
    while (!held.isEmpty()) {
      pass(held.poll());
    }
  }

  @Override
  void onDrop() {
    held.clear();
  }
}
