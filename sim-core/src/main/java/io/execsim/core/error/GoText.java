package io.execsim.core.error;

import java.util.List;

/** Formatting as Go's {@code fmt} verbs do it, for texts that must match the real components byte for byte. */
public final class GoText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoText() {
  }

  /** A string as {@code %q} prints it: double-quoted, with Go escape sequences. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case 7 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case 11 -> b.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** A duration as Go's {@code time.Duration.String} prints it: {@code 1s}, {@code 1m30s}, {@code 250ms}. */
  public static String duration(java.time.Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n < 1_000) {
      return sign + n + "ns";
    }
    if (n < 1_000_000) {
      return sign + trimFraction(n, 1_000) + "µs";
    }
    if (n < 1_000_000_000) {
      return sign + trimFraction(n, 1_000_000) + "ms";
    }
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    String seconds = trimFraction(n % 60_000_000_000L, 1_000_000_000) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    if (minutes > 0) {
      return sign + minutes + "m" + seconds;
    }
    return sign + seconds;
  }

  private static String trimFraction(long value, long unit) {
    long whole = value / unit;
    long frac = value % unit;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String digits = String.format("%0" + Long.toString(unit).length() + "d", frac).substring(1);
    return whole + "." + digits.replaceAll("0+$", "");
  }

  /** A string slice as {@code %v} prints it: {@code [a b c]}. */
  public static String slice(List<String> items) {
    return "[" + String.join(" ", items) + "]";
  }
}
