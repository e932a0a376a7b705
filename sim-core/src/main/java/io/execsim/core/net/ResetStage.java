package io.execsim.core.net;

import io.execsim.core.net.toxic.Reset;

/** {@link Reset} at work: on start the link is reset, which ends this toxic with every other. */
final class ResetStage extends ActiveToxic {
  private final Reset toxic;

  ResetStage(ToxicChain chain, Reset toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public Reset toxic() {
    return toxic;
  }

  @Override
  void onStart(long offset) {
    fired(offset);
    host().reset();
  }

  @Override
  void onSegment(Segment s) {
    // after the reset nothing crosses
  }
}
