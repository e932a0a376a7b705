package io.execsim.core.net.toxic;

import java.time.Duration;
import java.util.Objects;

/**
 * Cuts each chunk into slices of {@code averageSize} bytes, give or take up to {@code sizeVariation} drawn
 * uniformly from the simulation's seeded source, and sends them {@code delay} apart; a chunk waits until the
 * slices before it have gone. The end of the stream follows the last slice at once.
 *
 * <p>The receiving peer reads the same bytes in more and smaller reads, so a decoder sees frames split at any
 * byte; the sender notices nothing.
 *
 * @param averageSize the mean size of a slice in bytes; positive
 * @param sizeVariation how far a slice may differ from {@code averageSize} either way, in bytes; smaller than it
 * @param delay the time between two slices; not negative
 */
public record Slicer(int averageSize, int sizeVariation, Duration delay) implements Toxic {

  /** Checks the parameters. */
  public Slicer {
    Objects.requireNonNull(delay, "delay");
    if (averageSize <= 0) {
      throw new IllegalArgumentException("average size must be positive: " + averageSize);
    }
    if (sizeVariation < 0 || sizeVariation >= averageSize) {
      throw new IllegalArgumentException("size variation must be in [0, average size): " + sizeVariation);
    }
    Units.requireNotNegative("delay", delay);
  }

  @Override
  public String toString() {
    String size = sizeVariation == 0 ? averageSize + " B" : averageSize + " +-" + sizeVariation + " B";
    return "slicer " + size + " every " + Units.duration(delay);
  }
}
