package io.execsim.core.net.toxic;

import java.time.Duration;
import java.util.Objects;

/**
 * Delays each chunk by {@code latency}, give or take up to {@code jitter} drawn uniformly from the simulation's
 * seeded source, as a long or congested path does. Order is kept: a chunk never overtakes the one before it, so one
 * whose draw is shorter waits for its predecessor. The end of the stream (a FIN) is delayed like a chunk.
 *
 * <p>The receiving peer reads the same bytes, later; the sender notices nothing. Removing the toxic hands on what
 * it holds at once.
 *
 * @param latency the delay of each chunk; not negative
 * @param jitter how far the delay of one chunk may differ from {@code latency} either way; at most {@code latency}
 */
public record Latency(Duration latency, Duration jitter) implements Toxic {

  /** Checks the parameters. */
  public Latency {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(jitter, "jitter");
    Units.requireNotNegative("latency", latency);
    Units.requireNotNegative("jitter", jitter);
    if (jitter.compareTo(latency) > 0) {
      throw new IllegalArgumentException("jitter must not exceed latency: " + jitter + " > " + latency);
    }
  }

  @Override
  public String toString() {
    String text = "latency " + Units.duration(latency);
    return jitter.isZero() ? text : text + " +-" + Units.duration(jitter);
  }
}
