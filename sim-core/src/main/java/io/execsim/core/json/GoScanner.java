package io.execsim.core.json;

import java.util.Arrays;

/**
 * The byte-at-a-time JSON syntax state machine of Go's {@code encoding/json} ({@code scanner.go}), reporting the
 * events the stream decoder needs and wording syntax errors exactly as Go does. Not thread-safe; one per decoder.
 */
final class GoScanner {
  /** An uninteresting byte. */
  static final int CONTINUE = 0;
  /** The byte closed an object or an array. */
  static final int END_CONTAINER = 1;
  /** The top-level value ended before this byte. */
  static final int END = 2;
  /** The byte is a syntax error; see {@link #error()}. */
  static final int ERROR = 3;

  // RFC 8259 section 9 lets a parser limit nesting; Go stops at 10000.
  private static final int MAX_DEPTH = 10_000;
  private static final int OBJECT_KEY = 0;
  private static final int OBJECT_VALUE = 1;
  private static final int ARRAY_VALUE = 2;

  private enum State {
    BEGIN_VALUE_OR_EMPTY, BEGIN_VALUE, BEGIN_STRING_OR_EMPTY, BEGIN_STRING, END_VALUE, END_TOP,
    IN_STRING, IN_STRING_ESC, IN_STRING_ESC_U, NEG, ONE, ZERO, DOT, DOT0, E, E_SIGN, E0, LITERAL, ERROR
  }

  private State state = State.BEGIN_VALUE;
  private byte[] stack = new byte[16];
  private int depth;
  private String literal = "";
  private int literalIndex;
  private int hexDigits;
  private String error = "";

  /** Prepares for a new top-level value. */
  void reset() {
    state = State.BEGIN_VALUE;
    depth = 0;
    error = "";
  }

  /** How many objects and arrays are open. */
  int depth() {
    return depth;
  }

  /** The text of the syntax error found, or "" before there is one. */
  String error() {
    return error;
  }

  /** Feeds one byte, {@code 0..255}, and tells what it did. */
  int step(int c) {
    switch (state) {
      case BEGIN_VALUE_OR_EMPTY:
        if (isSpace(c)) {
          return CONTINUE;
        }
        return c == ']' ? endValue(c) : beginValue(c);
      case BEGIN_VALUE:
        return beginValue(c);
      case BEGIN_STRING_OR_EMPTY:
        if (isSpace(c)) {
          return CONTINUE;
        }
        if (c == '}') {
          stack[depth - 1] = OBJECT_VALUE;
          return endValue(c);
        }
        return beginString(c);
      case BEGIN_STRING:
        return beginString(c);
      case END_VALUE:
        return endValue(c);
      case END_TOP:
        return endTop(c);
      case IN_STRING:
        return inString(c);
      case IN_STRING_ESC:
        return inStringEscape(c);
      case IN_STRING_ESC_U:
        if (!isHex(c)) {
          return fail(c, "in \\u hexadecimal character escape");
        }
        if (++hexDigits == 4) {
          state = State.IN_STRING;
        }
        return CONTINUE;
      case NEG:
        if (c == '0') {
          state = State.ZERO;
          return CONTINUE;
        }
        if ('1' <= c && c <= '9') {
          state = State.ONE;
          return CONTINUE;
        }
        return fail(c, "in numeric literal");
      case ONE:
        if (isDigit(c)) {
          return CONTINUE;
        }
        return afterInteger(c);
      case ZERO:
        return afterInteger(c);
      case DOT:
        if (isDigit(c)) {
          state = State.DOT0;
          return CONTINUE;
        }
        return fail(c, "after decimal point in numeric literal");
      case DOT0:
        if (isDigit(c)) {
          return CONTINUE;
        }
        if (c == 'e' || c == 'E') {
          state = State.E;
          return CONTINUE;
        }
        return endValue(c);
      case E:
        if (c == '+' || c == '-') {
          state = State.E_SIGN;
          return CONTINUE;
        }
        return exponentDigit(c);
      case E_SIGN:
        return exponentDigit(c);
      case E0:
        return isDigit(c) ? CONTINUE : endValue(c);
      case LITERAL:
        return inLiteral(c);
      default:
        return ERROR;
    }
  }

  private int beginValue(int c) {
    if (isSpace(c)) {
      return CONTINUE;
    }
    switch (c) {
      case '{':
        state = State.BEGIN_STRING_OR_EMPTY;
        return push(c, OBJECT_KEY);
      case '[':
        state = State.BEGIN_VALUE_OR_EMPTY;
        return push(c, ARRAY_VALUE);
      case '"':
        state = State.IN_STRING;
        return CONTINUE;
      case '-':
        state = State.NEG;
        return CONTINUE;
      case '0':
        state = State.ZERO;
        return CONTINUE;
      case 't':
        return beginLiteral("true");
      case 'f':
        return beginLiteral("false");
      case 'n':
        return beginLiteral("null");
      default:
        if ('1' <= c && c <= '9') {
          state = State.ONE;
          return CONTINUE;
        }
        return fail(c, "looking for beginning of value");
    }
  }

  private int beginString(int c) {
    if (isSpace(c)) {
      return CONTINUE;
    }
    if (c == '"') {
      state = State.IN_STRING;
      return CONTINUE;
    }
    return fail(c, "looking for beginning of object key string");
  }

  private int endValue(int c) {
    if (depth == 0) {
      state = State.END_TOP;
      return endTop(c);
    }
    if (isSpace(c)) {
      state = State.END_VALUE;
      return CONTINUE;
    }
    switch (stack[depth - 1]) {
      case OBJECT_KEY:
        if (c == ':') {
          stack[depth - 1] = OBJECT_VALUE;
          state = State.BEGIN_VALUE;
          return CONTINUE;
        }
        return fail(c, "after object key");
      case OBJECT_VALUE:
        if (c == ',') {
          stack[depth - 1] = OBJECT_KEY;
          state = State.BEGIN_STRING;
          return CONTINUE;
        }
        if (c == '}') {
          return pop();
        }
        return fail(c, "after object key:value pair");
      default:
        if (c == ',') {
          state = State.BEGIN_VALUE;
          return CONTINUE;
        }
        if (c == ']') {
          return pop();
        }
        return fail(c, "after array element");
    }
  }

  private int endTop(int c) {
    if (!isSpace(c)) {
      // Go records the error but still ends the value here; the stream decoder resets before the next value.
      fail(c, "after top-level value");
    }
    return END;
  }

  private int inString(int c) {
    if (c == '"') {
      state = State.END_VALUE;
      return CONTINUE;
    }
    if (c == '\\') {
      state = State.IN_STRING_ESC;
      return CONTINUE;
    }
    if (c < 0x20) {
      return fail(c, "in string literal");
    }
    return CONTINUE;
  }

  private int inStringEscape(int c) {
    switch (c) {
      case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
        state = State.IN_STRING;
        return CONTINUE;
      case 'u':
        state = State.IN_STRING_ESC_U;
        hexDigits = 0;
        return CONTINUE;
      default:
        return fail(c, "in string escape code");
    }
  }

  private int afterInteger(int c) {
    if (c == '.') {
      state = State.DOT;
      return CONTINUE;
    }
    if (c == 'e' || c == 'E') {
      state = State.E;
      return CONTINUE;
    }
    return endValue(c);
  }

  private int exponentDigit(int c) {
    if (isDigit(c)) {
      state = State.E0;
      return CONTINUE;
    }
    return fail(c, "in exponent of numeric literal");
  }

  private int beginLiteral(String word) {
    state = State.LITERAL;
    literal = word;
    literalIndex = 1;
    return CONTINUE;
  }

  private int inLiteral(int c) {
    char expected = literal.charAt(literalIndex);
    if (c != expected) {
      return fail(c, "in literal " + literal + " (expecting '" + expected + "')");
    }
    if (++literalIndex == literal.length()) {
      state = State.END_VALUE;
    }
    return CONTINUE;
  }

  private int push(int c, int parseState) {
    if (depth == stack.length) {
      stack = Arrays.copyOf(stack, depth * 2);
    }
    stack[depth++] = (byte) parseState;
    return depth <= MAX_DEPTH ? CONTINUE : fail(c, "exceeded max depth");
  }

  private int pop() {
    depth--;
    state = depth == 0 ? State.END_TOP : State.END_VALUE;
    return END_CONTAINER;
  }

  private int fail(int c, String context) {
    state = State.ERROR;
    error = "invalid character " + quoteChar(c) + " " + context;
    return ERROR;
  }

  /** Whether {@code c} is one of the four bytes JSON counts as white space. */
  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isDigit(int c) {
    return '0' <= c && c <= '9';
  }

  private static boolean isHex(int c) {
    return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F';
  }

  /** A byte as Go's {@code quoteChar} shows it: the byte taken as a rune and quoted the way strconv does it. */
  static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    return "'" + escapeRune(c) + "'";
  }

  private static String escapeRune(int c) {
    switch (c) {
      case '\\':
        return "\\\\";
      case 7:
        return "\\a";
      case '\b':
        return "\\b";
      case '\f':
        return "\\f";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case 11:
        return "\\v";
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      return String.format("\\x%02x", c);
    }
    // strconv.IsPrint: in Latin-1 only U+0020..U+007E and U+00A1..U+00FF without the soft hyphen are printable.
    if (c >= 0x80 && (c <= 0xa0 || c == 0xad)) {
      return String.format("\\u%04x", c);
    }
    return String.valueOf((char) c);
  }
}
