package io.execsim.core.cli;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;

/**
 * Go's {@code strconv} number and boolean parsing, with its {@code *strconv.NumError} texts:
 * {@code strconv.Atoi: parsing "x": invalid syntax}, {@code ... value out of range}.
 */
public final class Strconv {
  private static final String SYNTAX = "invalid syntax";
  private static final String RANGE = "value out of range";

  private Strconv() {
  }

  /**
   * Go's {@code *strconv.NumError}: the function, the input and the cause. Go returns a value with a range error
   * too (the bound nearest the input), and so does {@link #value()}.
   */
  public static final class NumError extends GoError {
    private final String cause;
    private final long value;

    NumError(String func, String num, String cause, long value) {
      super("strconv." + func + ": parsing " + GoText.quote(num) + ": " + cause);
      this.cause = cause;
      this.value = value;
    }

    /** Whether the input was out of range, rather than not a number. */
    public boolean isRange() {
      return cause.equals(RANGE);
    }

    /** What Go returns beside the error: 0 for a syntax error, the nearest bound for a range error. */
    public long value() {
      return value;
    }

    NumError renamed(String func, String num) {
      return new NumError(func, num, cause, value);
    }
  }

  /** {@code strconv.Atoi} on a 64-bit machine: a decimal {@code int}, with an optional sign. */
  public static long atoi(String s) {
    try {
      return parseInt(s, 10, 64);
    } catch (NumError e) {
      throw e.renamed("Atoi", s);
    }
  }

  /**
   * {@code strconv.ParseInt(s, base, bitSize)}: base 0 takes Go's prefixes ({@code 0x}, {@code 0o}, {@code 0b},
   * {@code 0}) and underscores between digits.
   */
  public static long parseInt(String s, int base, int bitSize) {
    if (s.isEmpty()) {
      throw new NumError("ParseInt", s, SYNTAX, 0);
    }
    boolean negative = s.charAt(0) == '-';
    String digits = s.charAt(0) == '+' || negative ? s.substring(1) : s;
    long magnitude;
    try {
      magnitude = parseUint(digits, base, bitSize);
    } catch (NumError e) {
      if (!e.isRange()) {
        throw e.renamed("ParseInt", s);
      }
      magnitude = -1;
    }
    int bits = bitSize == 0 ? 64 : bitSize;
    // the magnitude is unsigned; 1 << (bits - 1) is the first one out of range for a positive value
    long cutoff = 1L << (bits - 1);
    if (!negative && Long.compareUnsigned(magnitude, cutoff) >= 0) {
      throw new NumError("ParseInt", s, RANGE, cutoff - 1);
    }
    if (negative && Long.compareUnsigned(magnitude, cutoff) > 0) {
      throw new NumError("ParseInt", s, RANGE, -cutoff);
    }
    return negative ? -magnitude : magnitude;
  }

  /** {@code strconv.ParseUint(s, base, bitSize)}; the result is unsigned (see {@link Long#toUnsignedString}). */
  public static long parseUint(String s, int base, int bitSize) {
    if (s.isEmpty()) {
      throw new NumError("ParseUint", s, SYNTAX, 0);
    }
    if (base != 0 && (base < 2 || base > 36)) {
      throw new IllegalArgumentException("base must be 0 or 2..36: " + base);
    }
    boolean base0 = base == 0;
    int b = base;
    String rest = s;
    if (base0) {
      b = 10;
      if (s.charAt(0) == '0') {
        char p = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : ' ';
        b = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
        rest = s.substring(b == 8 && p != 'o' ? 1 : 2);
      }
    }
    int bits = bitSize == 0 ? 64 : bitSize;
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long n = 0;
    boolean underscores = false;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      int d;
      if (c == '_' && base0) {
        underscores = true;
        continue;
      } else if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (Character.toLowerCase(c) >= 'a' && Character.toLowerCase(c) <= 'z') {
        d = Character.toLowerCase(c) - 'a' + 10;
      } else {
        throw new NumError("ParseUint", s, SYNTAX, 0);
      }
      if (d >= b) {
        throw new NumError("ParseUint", s, SYNTAX, 0);
      }
      // n * b + d must stay within max, in unsigned arithmetic
      long limit = Long.divideUnsigned(max - d, b);
      if (Long.compareUnsigned(n, limit) > 0) {
        throw new NumError("ParseUint", s, RANGE, max);
      }
      n = n * b + d;
    }
    if (underscores && !underscoresBetweenDigits(s)) {
      throw new NumError("ParseUint", s, SYNTAX, 0);
    }
    return n;
  }

  /** Go's {@code underscoreOK}: each underscore sits between digits (a base prefix counts as one). */
  private static boolean underscoresBetweenDigits(String s) {
    char saw = '^';
    int i = 0;
    String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    boolean hex = false;
    if (t.length() >= 2 && t.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(t.charAt(1))) >= 0) {
      i = 2;
      saw = '0';
      hex = Character.toLowerCase(t.charAt(1)) == 'x';
    }
    for (; i < t.length(); i++) {
      char c = t.charAt(i);
      char l = Character.toLowerCase(c);
      if (c >= '0' && c <= '9' || hex && l >= 'a' && l <= 'f') {
        saw = '0';
      } else if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
      } else if (saw == '_') {
        return false;
      } else {
        saw = '!';
      }
    }
    return saw != '_';
  }

  /** {@code strconv.ParseBool}: {@code 1 t T TRUE true True} and {@code 0 f F FALSE false False}. */
  public static boolean parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new NumError("ParseBool", s, SYNTAX, 0);
    };
  }
}
