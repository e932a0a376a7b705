package io.execsim.core.error;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations read as Go's {@code time.ParseDuration} reads them ({@code 500ms}, {@code 2s}, {@code 1m30s},
 * {@code 1.5µs}); they print with {@link GoText#duration}.
 */
public final class GoDuration {
  private static final String UNITS = "ns, us, µs, ms, s, m, h";
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private GoDuration() {
  }

  /**
   * Reads a Go duration: an optional sign, then one or more decimal numbers, each with a unit, e.g. {@code 1m30s};
   * a bare {@code 0} needs no unit. A negative duration is returned as such, for the caller to reject.
   * Simplified: a fraction of a nanosecond is refused, where Go drops it.
   *
   * @throws IllegalArgumentException what is wrong with {@code text}
   */
  public static Duration parse(String text) {
    int i = 0;
    boolean negative = false;
    if (text.startsWith("-") || text.startsWith("+")) {
      negative = text.charAt(0) == '-';
      i = 1;
    }
    if (text.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == text.length()) {
      throw new IllegalArgumentException("a duration is a number and a unit (" + UNITS + "): " + text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
        i++;
      }
      String number = text.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw new IllegalArgumentException("a duration is a number and a unit (" + UNITS + "): " + text);
      }
      int unitStart = i;
      while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
        i++;
      }
      long unit = unitNanos(text.substring(unitStart, i), text);
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
    }
    BigInteger whole;
    try {
      whole = nanos.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a duration is counted in whole nanoseconds: " + text, e);
    }
    BigInteger[] split = whole.divideAndRemainder(NANOS_PER_SECOND.toBigInteger());
    if (split[0].bitLength() > 62) {
      throw new IllegalArgumentException("a duration must fit in a Java Duration: " + text);
    }
    Duration d = Duration.ofSeconds(split[0].longValue(), split[1].longValue());
    return negative ? d.negated() : d;
  }

  private static long unitNanos(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "" -> throw new IllegalArgumentException("a duration needs a unit (" + UNITS + "): " + text);
      default -> throw new IllegalArgumentException("unknown unit in duration (" + UNITS + "): " + text);
    };
  }
}
