package io.execsim.core.sched;

import java.util.SplittableRandom;

/**
 * The seeded source of every random choice in a simulation: exec ids, tokens, temp-file digits, FIFO directory
 * names. The same seed and the same sequence of calls give the same values.
 */
public final class SimRandom {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] BASE64_URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  private final long seed;
  private final SplittableRandom random;

  /** A source seeded with {@code seed}. */
  public SimRandom(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** The seed this source started from. */
  public long seed() {
    return seed;
  }

  /** A value in {@code [0, bound)}. */
  public synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** A uniformly distributed long. */
  public synchronized long nextLong() {
    return random.nextLong();
  }

  /** A double in {@code [0, 1)}. */
  public synchronized double nextDouble() {
    return random.nextDouble();
  }

  /** {@code n} random bytes as lower-case hex, {@code 2n} characters (containerd's ids use 32 bytes). */
  public synchronized String hex(int n) {
    char[] out = new char[2 * n];
    for (int i = 0; i < n; i++) {
      int b = random.nextInt(256);
      out[2 * i] = HEX[b >> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(out);
  }

  /** {@code n} random bytes as unpadded base64url (the CRI streaming server's tokens use 6 bytes). */
  public synchronized String base64Url(int n) {
    StringBuilder b = new StringBuilder();
    int bits = 0;
    int acc = 0;
    for (int i = 0; i < n; i++) {
      acc = (acc << 8) | random.nextInt(256);
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        b.append(BASE64_URL[(acc >> bits) & 0x3f]);
      }
    }
    if (bits > 0) {
      b.append(BASE64_URL[(acc << (6 - bits)) & 0x3f]);
    }
    return b.toString();
  }

  /** The decimal suffix Go's {@code os.CreateTemp} and {@code os.MkdirTemp} append: a random uint32. */
  public synchronized String tempSuffix() {
    return Long.toString(random.nextLong() & 0xffffffffL);
  }
}
