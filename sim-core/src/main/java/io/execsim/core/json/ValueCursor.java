package io.execsim.core.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read position inside one JSON value that {@link GoScanner} has already accepted, so no method checks syntax.
 * Strings are unquoted as Go's {@code unquoteBytes} does it (decode.go). Not thread-safe.
 */
final class ValueCursor {
  private static final int REPLACEMENT = 0xFFFD;

  private final byte[] data;
  private final int end;
  private int pos;

  ValueCursor(byte[] data, int start, int end) {
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  /** The byte at the current position after skipping white space, or -1 at the end of the value. */
  int peek() {
    while (pos < end && GoScanner.isSpace(data[pos])) {
      pos++;
    }
    return pos < end ? data[pos] & 0xff : -1;
  }

  /** Consumes the byte returned by {@link #peek()}. */
  void advance() {
    pos++;
  }

  /** Consumes a string literal and returns its unquoted text. */
  String string() {
    peek();
    int close = closingQuote(pos);
    String s = unquote(data, pos + 1, close);
    pos = close + 1;
    return s;
  }

  /** Consumes a number, {@code true}, {@code false} or {@code null} and returns its text. */
  String literal() {
    peek();
    int start = pos;
    while (pos < end && isLiteralByte(data[pos])) {
      pos++;
    }
    return new String(data, start, pos - start, StandardCharsets.US_ASCII);
  }

  /** Consumes one whole value of any kind and returns its raw bytes, as Go hands them to {@code UnmarshalJSON}. */
  byte[] raw() {
    peek();
    int start = pos;
    skip();
    return Arrays.copyOfRange(data, start, pos);
  }

  /** Consumes one whole value of any kind. */
  void skip() {
    int depth = 0;
    do {
      int c = peek();
      if (c == '"') {
        pos = closingQuote(pos) + 1;
      } else if (c == '{' || c == '[') {
        depth++;
        pos++;
      } else if (c == '}' || c == ']') {
        depth--;
        pos++;
      } else if (c == ',' || c == ':') {
        pos++;
      } else {
        literal();
      }
    } while (depth > 0);
  }

  private int closingQuote(int open) {
    int i = open + 1;
    while (data[i] != '"') {
      i += data[i] == '\\' ? 2 : 1;
    }
    return i;
  }

  private static boolean isLiteralByte(byte b) {
    return b == '-' || b == '+' || b == '.' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z';
  }

  /**
   * The text of the string body {@code data[from, to)}: escapes decoded, a {@code \}{@code u} surrogate that does not
   * pair up and every byte that is not valid UTF-8 replaced by U+FFFD, as Go's {@code unquoteBytes} does.
   */
  static String unquote(byte[] data, int from, int to) {
    StringBuilder b = new StringBuilder(to - from);
    int r = from;
    while (r < to) {
      int c = data[r] & 0xff;
      if (c == '\\') {
        int e = data[r + 1];
        if (e == 'u') {
          int rr = hex4(data, r + 2, to);
          r += 6;
          if (Character.isSurrogate((char) rr)) {
            int rr1 = r + 1 < to && data[r] == '\\' && data[r + 1] == 'u' ? hex4(data, r + 2, to) : -1;
            if (Character.isHighSurrogate((char) rr) && rr1 >= 0 && Character.isLowSurrogate((char) rr1)) {
              b.appendCodePoint(Character.toCodePoint((char) rr, (char) rr1));
              r += 6;
              continue;
            }
            rr = REPLACEMENT;
          }
          b.append((char) rr);
          continue;
        }
        b.append(escaped(e));
        r += 2;
      } else if (c < 0x80) {
        b.append((char) c);
        r++;
      } else {
        int size = utf8Length(data, r, to);
        b.appendCodePoint(size == 0 ? REPLACEMENT : decode(data, r, size));
        r += Math.max(size, 1);
      }
    }
    return b.toString();
  }

  private static char escaped(int e) {
    switch (e) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return (char) e;
    }
  }

  private static int hex4(byte[] data, int at, int to) {
    if (at + 4 > to) {
      return -1;
    }
    int v = 0;
    for (int i = at; i < at + 4; i++) {
      int d = Character.digit(data[i], 16);
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  /**
   * The length of the well-formed UTF-8 sequence at {@code data[at]}, or 0 where Go's {@code utf8.DecodeRune} sees
   * an error: a bad or missing continuation byte, an overlong form, a surrogate, or a code point past U+10FFFF.
   */
  private static int utf8Length(byte[] data, int at, int to) {
    int c = data[at] & 0xff;
    int size;
    int lo = 0x80;
    int hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      size = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      size = 3;
      lo = c == 0xe0 ? 0xa0 : 0x80;
      hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
      size = 4;
      lo = c == 0xf0 ? 0x90 : 0x80;
      hi = c == 0xf4 ? 0x8f : 0xbf;
    } else {
      return 0;
    }
    if (at + size > to) {
      return 0;
    }
    int second = data[at + 1] & 0xff;
    if (second < lo || second > hi) {
      return 0;
    }
    for (int i = at + 2; i < at + size; i++) {
      if ((data[i] & 0xc0) != 0x80) {
        return 0;
      }
    }
    return size;
  }

  private static int decode(byte[] data, int at, int size) {
    int cp = data[at] & (0xff >> (size + 1));
    for (int i = at + 1; i < at + size; i++) {
      cp = cp << 6 | data[i] & 0x3f;
    }
    return cp;
  }
}
