package io.execsim.core.net.toxic;

/**
 * Closes the connection once {@code bytes} bytes have crossed this direction since the toxic started, as
 * Toxiproxy's {@code limit_data} does. The chunk that reaches the limit is cut there; what the sender writes after
 * it is lost.
 *
 * <p>The receiving peer reads the bytes up to the limit, then end of stream; the sender reads end of stream too
 * (after what was already on its way to it). Neither sees an error: both see the orderly close of a FIN. On a FIFO
 * the reader reads end of file after the limit, and the writer's next write fails with {@code EPIPE}, as when the
 * reader of a pipe is gone.
 *
 * @param bytes how many bytes get through; zero closes the connection as soon as the toxic starts
 */
public record LimitData(long bytes) implements Toxic {

  /** Checks the limit. */
  public LimitData {
    if (bytes < 0) {
      throw new IllegalArgumentException("byte limit must not be negative: " + bytes);
    }
  }

  @Override
  public String toString() {
    return "limit-data " + bytes + " B";
  }
}
