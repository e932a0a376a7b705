package io.execsim.core.net;

import io.execsim.core.net.toxic.Stall;

/** {@link Stall} at work: everything is held until removal. */
final class StallStage extends HoldingStage {
  private final Stall toxic;

  StallStage(ToxicChain chain, Stall toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public Stall toxic() {
    return toxic;
  }

  @Override
  void onSegment(Segment s) {
    queue.add(s);
  }
}
