package io.execsim.core.net;

import java.util.Arrays;

/**
 * A piece of one direction's byte stream on its way through the toxics: bytes starting at {@code offset} of the
 * direction, or the end of the stream (a FIN) at {@code offset}. The bytes are the link's own copy; nobody else
 * holds them.
 */
record Segment(long offset, byte[] bytes, boolean isFin) {
  private static final byte[] NONE = new byte[0];

  static Segment data(long offset, byte[] bytes) {
    return new Segment(offset, bytes, false);
  }

  static Segment fin(long offset) {
    return new Segment(offset, NONE, true);
  }

  int length() {
    return bytes.length;
  }

  /** The offset just past the last byte. */
  long end() {
    return offset + bytes.length;
  }

  /** The bytes before {@code at}, which lies inside this segment. */
  Segment head(long at) {
    return data(offset, Arrays.copyOfRange(bytes, 0, (int) (at - offset)));
  }

  /** The bytes from {@code at} on, which lies inside this segment. */
  Segment tail(long at) {
    return data(at, Arrays.copyOfRange(bytes, (int) (at - offset), bytes.length));
  }

  /** A copy whose byte at {@code at}, which lies inside this segment, is XORed with {@code mask}. */
  Segment flip(long at, int mask) {
    byte[] copy = bytes.clone();
    copy[(int) (at - offset)] ^= (byte) mask;
    return data(offset, copy);
  }
}
