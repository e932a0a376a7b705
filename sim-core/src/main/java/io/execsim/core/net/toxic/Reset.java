package io.execsim.core.net.toxic;

/**
 * Aborts the connection with an RST, as Toxiproxy's {@code reset_peer} does. The bytes before the toxic's offset
 * are delivered; everything after it, and everything still in flight the other way, is lost.
 *
 * <p>Both peers then see what a reset TCP socket gives: a Netty pipeline gets an {@code exceptionCaught} with an
 * {@link java.io.IOException} {@code Connection reset by peer}, then the channel closes (a Go program reads {@code
 * read: connection reset by peer}, and a later write fails with {@code write: broken pipe}). No FIN is sent either
 * way. A FIFO has no connection to reset: it takes no such toxic.
 */
public record Reset() implements Toxic {

  @Override
  public String toString() {
    return "reset";
  }
}
