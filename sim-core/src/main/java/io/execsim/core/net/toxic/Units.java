package io.execsim.core.net.toxic;

import java.time.Duration;

/** Short texts of the parameters, as traces show them. */
final class Units {
  private Units() {
  }

  /** {@code 100ms}, {@code 2s}, {@code 250us}, {@code 7ns}: the largest unit that divides the duration. */
  static String duration(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }

  static void requireNotNegative(String what, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
  }
}
