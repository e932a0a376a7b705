package io.execsim.runc.programs;

/**
 * Backslash escapes as busybox's {@code bb_process_escape_sequence} reads them, for {@code echo -e}, {@code printf}
 * formats and {@code %b}: up to three octal digits (while the value fits a byte), {@code \x} and up to two hex
 * digits, and the letters {@code a b e f n r t v \}. Anything else leaves the backslash as it is.
 */
final class Escapes {
  private static final String LETTERS = "abefnrtv\\";
  private static final String VALUES = "\007\b\033\f\n\r\t\013\\";

  private Escapes() {
  }

  /** An escape read: the byte it stands for, and where the text after it starts. */
  record Decoded(char value, int end) {
  }

  /** Reads the escape of {@code raw} that starts at {@code at}, just after its backslash. */
  static Decoded decode(String raw, int at) {
    int p = at;
    int base = 8;
    int maxDigits = 3;
    if (p < raw.length() && raw.charAt(p) == 'x') {
      base = 16;
      maxDigits = 2;
      p++;
    }
    int value = 0;
    int digits = 0;
    while (digits < maxDigits && p < raw.length()) {
      int d = Character.digit(raw.charAt(p), base);
      if (d < 0 || value * base + d > 255) {
        break;
      }
      value = value * base + d;
      digits++;
      p++;
    }
    if (digits > 0) {
      return new Decoded((char) value, p);
    }
    int letter = base == 8 && at < raw.length() ? LETTERS.indexOf(raw.charAt(at)) : -1;
    if (letter >= 0) {
      return new Decoded(VALUES.charAt(letter), at + 1);
    }
    return new Decoded('\\', at);
  }

  /**
   * Appends {@code raw} with its escapes decoded, as {@code echo -e} and {@code %b} do (they also take
   * {@code \0NNN}). Returns false when a {@code \c} said to stop all output there.
   */
  static boolean appendDecoded(StringBuilder out, String raw) {
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i++);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i < raw.length() && raw.charAt(i) == 'c') {
        return false;
      }
      if (i + 1 < raw.length() && raw.charAt(i) == '0' && Character.digit(raw.charAt(i + 1), 8) >= 0) {
        i++;
      }
      Decoded d = decode(raw, i);
      out.append(d.value());
      i = d.end();
    }
    return true;
  }
}
