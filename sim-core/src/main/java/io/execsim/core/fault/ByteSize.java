package io.execsim.core.fault;

/** Byte counts as a fault plan writes them: a whole number of bytes, or of {@code KiB}, {@code MiB} or {@code GiB}. */
final class ByteSize {
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private ByteSize() {
  }

  /** {@code bytes} in the largest unit that divides it exactly. */
  static String format(long bytes) {
    if (bytes != 0 && bytes % GIB == 0) {
      return bytes / GIB + "GiB";
    } else if (bytes != 0 && bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    } else if (bytes != 0 && bytes % KIB == 0) {
      return bytes / KIB + "KiB";
    }
    return Long.toString(bytes);
  }

  /** Reads a byte count; a negative one is returned as such, for the caller to reject. */
  static long parse(String text) {
    long unit = 1;
    String number = text;
    if (text.endsWith("KiB")) {
      unit = KIB;
    } else if (text.endsWith("MiB")) {
      unit = MIB;
    } else if (text.endsWith("GiB")) {
      unit = GIB;
    }
    if (unit != 1) {
      number = text.substring(0, text.length() - 3);
    }
    if (!number.matches("-?[0-9]+")) {
      throw new IllegalArgumentException("a size is a whole number of bytes, or of KiB, MiB or GiB: " + text);
    }
    try {
      return Math.multiplyExact(Long.parseLong(number), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("a size must fit in 63 bits: " + text, e);
    }
  }
}
