package io.execsim.core.net;

import io.execsim.core.net.toxic.HalfClose;

/** {@link HalfClose} at work: a FIN at the offset, and nothing after it. */
final class HalfCloseStage extends ActiveToxic {
  private final HalfClose toxic;

  HalfCloseStage(ToxicChain chain, HalfClose toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public HalfClose toxic() {
    return toxic;
  }

  @Override
  void onStart(long offset) {
    fired(offset);
    pass(Segment.fin(offset));
  }

  @Override
  void onSegment(Segment s) {
    // the stream has ended: what the sender writes now is lost on the way
  }
}
