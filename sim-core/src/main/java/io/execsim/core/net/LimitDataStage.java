package io.execsim.core.net;

import io.execsim.core.net.toxic.LimitData;

/** {@link LimitData} at work: counts the bytes it lets through and ends the stream, and its peer, at the limit. */
final class LimitDataStage extends ActiveToxic {
  private final LimitData toxic;
  private long passed;
  private boolean reached;

  LimitDataStage(ToxicChain chain, LimitData toxic, long fromOffset) {
    super(chain, fromOffset);
    this.toxic = toxic;
  }

  @Override
  public LimitData toxic() {
    return toxic;
  }

  @Override
  void onStart(long offset) {
    if (toxic.bytes() == 0) {
      close(offset);
    }
  }

  @Override
  void onSegment(Segment s) {
    if (reached) {
      return;
    }
    if (s.isFin()) {
      pass(s);
      return;
    }
    long room = toxic.bytes() - passed;
    Segment through = s.length() <= room ? s : s.head(s.offset() + room);
    passed += through.length();
    pass(through);
    if (passed == toxic.bytes() && !isDone()) {
      close(through.end());
    }
  }

  private void close(long offset) {
    reached = true;
    fired(offset);
    pass(Segment.fin(offset));
    host().limitReached();
  }
}
