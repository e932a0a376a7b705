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

  /** A string slice as {@code %v} prints it: {@code [a b c]}. */
  public static String slice(List<String> items) {
    return "[" + String.join(" ", items) + "]";
  }
}
