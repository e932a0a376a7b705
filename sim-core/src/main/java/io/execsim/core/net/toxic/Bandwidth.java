package io.execsim.core.net.toxic;

/**
 * Paces the bytes to {@code bytesPerSecond}, as a narrow link does: a chunk of {@code n} bytes takes {@code n /
 * bytesPerSecond} seconds to cross, and a chunk waits for the ones before it. A large chunk arrives in pieces of at
 * most a tenth of a second's worth of bytes, each when its last byte would have crossed. The end of the stream
 * follows the last piece at once.
 *
 * <p>The receiving peer reads the same bytes, spread out in time; the sender notices nothing (the simulated
 * network buffers without limit). Removing the toxic hands on what it holds at once.
 *
 * @param bytesPerSecond the rate; positive
 */
public record Bandwidth(long bytesPerSecond) implements Toxic {

  /** Checks the rate. */
  public Bandwidth {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytes per second must be positive: " + bytesPerSecond);
    }
  }

  @Override
  public String toString() {
    return "bandwidth " + bytesPerSecond + " B/s";
  }
}
