package io.execsim.core.net;

import io.execsim.core.net.toxic.Toxic;

/**
 * One way of a byte stream that toxics can act on: a direction of a network link, or a FIFO of an exec's stdio.
 * Offsets count the bytes the writer has written into it, from zero. Used on the simulation's thread.
 */
public interface ByteWay {
  /** The bytes written into this way so far: the offset of the next byte. */
  long bytesSent();

  /** Whether bytes can still cross. */
  boolean isOpen();

  /**
   * Puts {@code toxic} on this way, after those already on it, acting from byte {@code fromOffset} on; an offset
   * already passed starts it at once.
   *
   * @throws IllegalStateException when the way is no longer open
   */
  ActiveToxic add(Toxic toxic, long fromOffset);

  /**
   * Runs {@code action} once the writer has reached byte {@code offset}: at once when it has, otherwise just
   * before the write that carries that byte goes on its way, so that a toxic {@code action} adds from {@code
   * offset} acts on exactly the bytes from there. An action whose offset is never reached before the way closes
   * never runs.
   */
  void whenSent(long offset, Runnable action);
}
