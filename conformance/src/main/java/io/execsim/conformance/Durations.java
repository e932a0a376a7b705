package io.execsim.conformance;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Go writes them in flags: {@code 500ms}, {@code 2s}, {@code 1m}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("([0-9]+)(ms|s|m)");

  private Durations() {
  }

  static Duration parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("duration must be a whole number of ms, s or m: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
