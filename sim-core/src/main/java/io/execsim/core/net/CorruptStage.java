package io.execsim.core.net;

import io.execsim.core.net.toxic.Corrupt;

/** {@link Corrupt} at work: flips the byte at its offset (or the first after it), then lets everything through. */
final class CorruptStage extends ActiveToxic {
  private final Corrupt toxic;
  private boolean flipped;

  CorruptStage(ToxicChain chain, Corrupt toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public Corrupt toxic() {
    return toxic;
  }

  @Override
  void onStart(long offset) {
    // it fires when its byte comes
  }

  @Override
  void onSegment(Segment s) {
    if (flipped || s.isFin()) {
      pass(s);
      return;
    }
    flipped = true;
    long at = Math.max(fromOffset(), s.offset());
    fired(at);
    pass(s.flip(at, toxic.mask()));
  }

  @Override
  boolean cutsAtOffset() {
    // the byte is flipped in place, so the receiver reads the chunks as they were sent
    return false;
  }
}
