package io.execsim.core.json;

import io.execsim.core.error.GoError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Go 1.19's {@code time.Time.UnmarshalJSON}: {@code time.Parse} with the layout {@code "2006-01-02T15:04:05Z07:00"}
 * in double quotes, run over the raw JSON bytes (escapes are not decoded), with {@code ParseError}'s texts.
 */
final class GoTime {
  /** Go's zero {@code time.Time}. */
  static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

  private static final String LAYOUT = "\"2006-01-02T15:04:05Z07:00\"";
  private static final String[] PREFIXES = {"\"", "-", "-", "T", ":", ":", "", "\""};
  private static final String[] ELEMENTS = {"2006", "01", "02", "15", "04", "05", "Z07:00"};

  private final String avalue;
  private String value;

  private GoTime(String avalue) {
    this.avalue = avalue;
    this.value = avalue;
  }

  /** Parses the raw bytes of a JSON value other than {@code null}; throws Go's parse error. */
  static Instant parseJson(byte[] raw) {
    return new GoTime(new String(raw, StandardCharsets.ISO_8859_1)).parse();
  }

  // Layout chunks as Go's nextStdChunk splits them; Go 1.19 checks no range on the zone offset.
  private Instant parse() {
    int[] field = new int[ELEMENTS.length - 1];
    int nanos = 0;
    int offset = 0;
    for (int i = 0; ; i++) {
      if (!value.startsWith(PREFIXES[i])) {
        throw cannotParse(value, PREFIXES[i]);
      }
      value = value.substring(PREFIXES[i].length());
      if (i == ELEMENTS.length) {
        if (!value.isEmpty()) {
          throw failure(": extra text: " + quote(value));
        }
        break;
      }
      String hold = value;
      String range = null;
      int n;
      switch (i) {
        case 0 -> n = year();
        case 1 -> {
          n = number(true);
          range = n == 0 || n > 12 ? "month" : null;
        }
        case 2 -> n = number(true);
        case 3 -> {
          n = number(false);
          range = n >= 24 ? "hour" : null;
        }
        case 4 -> {
          n = number(true);
          range = n >= 60 ? "minute" : null;
        }
        case 5 -> {
          n = number(true);
          range = n >= 60 ? "second" : null;
          if (n >= 0 && range == null) {
            nanos = fraction();
          }
        }
        default -> {
          Integer seconds = zone();
          n = seconds == null ? -1 : 0;
          offset = seconds == null ? 0 : seconds;
        }
      }
      if (range != null) {
        throw failure(": " + range + " out of range");
      }
      if (n < 0) {
        throw cannotParse(hold, ELEMENTS[i]);
      }
      if (i < field.length) {
        field[i] = n;
      }
    }
    if (field[2] < 1 || field[2] > YearMonth.of(field[0], field[1]).lengthOfMonth()) {
      throw failure(": day out of range");
    }
    LocalDateTime local = LocalDateTime.of(field[0], field[1], field[2], field[3], field[4], field[5], nanos);
    return Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offset, nanos);
  }

  private int year() {
    if (value.length() < 4 || !isDigit(value, 0)) {
      return -1;
    }
    String p = value.substring(0, 4);
    value = value.substring(4);
    for (int i = 1; i < 4; i++) {
      if (!isDigit(p, i)) {
        return -1;
      }
    }
    return Integer.parseInt(p);
  }

  /** Go's {@code getnum}: one or two digits, exactly two when {@code fixed}; -1 when there are none. */
  private int number(boolean fixed) {
    if (!isDigit(value, 0)) {
      return -1;
    }
    int width = isDigit(value, 1) ? 2 : 1;
    if (width == 1 && fixed) {
      return -1;
    }
    int n = Integer.parseInt(value.substring(0, width));
    value = value.substring(width);
    return n;
  }

  /** Fractional seconds after the seconds, which Go takes although the layout has none; digits past 9 are dropped. */
  private int fraction() {
    if (value.length() < 2 || value.charAt(0) != '.' && value.charAt(0) != ',' || !isDigit(value, 1)) {
      return 0;
    }
    int n = 2;
    while (isDigit(value, n)) {
      n++;
    }
    String digits = value.substring(1, Math.min(n, 10));
    value = value.substring(n);
    return Integer.parseInt(digits) * (int) Math.pow(10, 9 - digits.length());
  }

  /** The zone offset in seconds east of UTC, or null when it is malformed. */
  private @Nullable Integer zone() {
    if (value.startsWith("Z")) {
      value = value.substring(1);
      return 0;
    }
    if (value.length() < 6 || value.charAt(3) != ':') {
      return null;
    }
    char sign = value.charAt(0);
    String hours = value.substring(1, 3);
    String minutes = value.substring(4, 6);
    value = value.substring(6);
    if (!isDigit(hours, 0) || !isDigit(hours, 1) || !isDigit(minutes, 0) || !isDigit(minutes, 1)
        || sign != '+' && sign != '-') {
      return null;
    }
    int seconds = (Integer.parseInt(hours) * 60 + Integer.parseInt(minutes)) * 60;
    return sign == '-' ? -seconds : seconds;
  }

  private GoError cannotParse(String valueElem, String layoutElem) {
    return GoError.of("parsing time " + quote(avalue) + " as " + quote(LAYOUT) + ": cannot parse " + quote(valueElem)
        + " as " + quote(layoutElem));
  }

  private GoError failure(String message) {
    return GoError.of("parsing time " + quote(avalue) + message);
  }

  private static boolean isDigit(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  /** The time package's {@code quote}: ASCII as is with {@code "} and backslash escaped, other bytes as hex. */
  private static String quote(String bytes) {
    StringBuilder b = new StringBuilder(bytes.length() + 2).append('"');
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      if (c >= 0x80 || c < 0x20) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c == '"' || c == '\\' ? "\\" : "").append(c);
      }
    }
    return b.append('"').toString();
  }
}
