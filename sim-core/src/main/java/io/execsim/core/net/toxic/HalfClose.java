package io.execsim.core.net.toxic;

/**
 * Ends the direction with a FIN at the toxic's offset, as if the sender had shut down its writing half. Bytes the
 * sender writes afterwards are lost on the way; the other direction goes on flowing.
 *
 * <p>The receiving peer reads end of stream. A Netty end that allows half-closure gets a {@code
 * ChannelInputShutdownEvent} and stays open for writing; one that does not (Netty's default) closes, and its peer
 * then sees that close as well. The sender notices nothing until the receiver reacts. Removing the toxic after it
 * fired does not reopen the direction. On a FIFO the way closes every writing end, so the reader reads end of file
 * even while a writer still holds the FIFO open; the writers' later bytes are lost.
 */
public record HalfClose() implements Toxic {

  @Override
  public String toString() {
    return "half-close";
  }
}
