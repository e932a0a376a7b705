package io.execsim.core.net;

import java.net.SocketException;

/**
 * What an end of a simulated link gets when its connection is reset (an RST arrived): the exception a Netty socket
 * channel fires on {@code ECONNRESET}, after which the channel closes. A Go program reads the same condition as
 * {@code read: connection reset by peer}. Each reset makes new instances, one per end.
 */
public final class ConnectionResetException extends SocketException {

  /** The exception with Linux's text, {@code Connection reset by peer}. */
  public ConnectionResetException() {
    super("Connection reset by peer");
  }
}
