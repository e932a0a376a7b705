package io.execsim.core.net.toxic;

/**
 * Flips bits of one byte: the first byte at or after the toxic's offset is XORed with {@code mask}; every other
 * byte crosses unchanged. Once it has flipped its byte the toxic does nothing more.
 *
 * <p>The receiving peer reads the corrupted byte in place of the one sent, so a protocol decoder there sees a bad
 * frame or header (and fails as it fails on one); the sender notices nothing.
 *
 * @param mask the bits to flip, {@code 0x01} to {@code 0xff}; {@code 0xff} flips them all
 */
public record Corrupt(int mask) implements Toxic {

  /** Checks the mask. */
  public Corrupt {
    if (mask < 0x01 || mask > 0xff) {
      throw new IllegalArgumentException("mask must be in [0x01, 0xff]: " + mask);
    }
  }

  @Override
  public String toString() {
    return String.format("corrupt ^0x%02x", mask);
  }
}
