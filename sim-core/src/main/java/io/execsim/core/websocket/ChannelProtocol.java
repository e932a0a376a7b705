package io.execsim.core.websocket;

import io.execsim.core.remotecommand.StreamProtocol;
import java.util.Optional;

/**
 * The WebSocket subprotocols of the remote command protocol, as wsstream and the streaming servers name them: how a
 * message carries its channel (a binary byte, or an ASCII digit followed by padded standard base64 in a text frame),
 * how the error channel reports the result (plain text on failure only, or a JSON {@code Status} always), and
 * whether a client may half-close a channel with the close signal.
 */
public enum ChannelProtocol {
  /** No subprotocol offered: served as {@link #V1}, binary. */
  NONE("", false, false, false),
  /** {@code channel.k8s.io}: binary, error text on failure only. */
  V1(StreamProtocol.V1, false, false, false),
  /** {@code base64.channel.k8s.io}: base64 text frames, error text on failure only. */
  V1_BASE64(StreamProtocol.BASE64_V1, true, false, false),
  /** {@code v4.channel.k8s.io}: binary, JSON status. */
  V4(StreamProtocol.V4, false, true, false),
  /** {@code v4.base64.channel.k8s.io}: base64 text frames, JSON status. */
  V4_BASE64(StreamProtocol.BASE64_V4, true, true, false),
  /** {@code v5.channel.k8s.io}: as {@link #V4}, plus the close signal; there is no base64 variant. */
  V5(StreamProtocol.V5, false, true, true);

  private final String subprotocol;
  private final boolean base64;
  private final boolean jsonStatus;
  private final boolean closeSignal;

  ChannelProtocol(String subprotocol, boolean base64, boolean jsonStatus, boolean closeSignal) {
    this.subprotocol = subprotocol;
    this.base64 = base64;
    this.jsonStatus = jsonStatus;
    this.closeSignal = closeSignal;
  }

  /** The value of {@code Sec-WebSocket-Protocol}; empty for {@link #NONE}. */
  public String subprotocol() {
    return subprotocol;
  }

  /** Whether messages are text frames: an ASCII channel digit, then the payload in padded standard base64. */
  public boolean isBase64() {
    return base64;
  }

  /** Whether the error channel carries a JSON {@code Status} (v4 and later) rather than failure text. */
  public boolean hasJsonStatus() {
    return jsonStatus;
  }

  /** Whether the client may send {@code [255, channel]} to close a channel (v5). */
  public boolean hasCloseSignal() {
    return closeSignal;
  }

  /** The protocol named {@code subprotocol}, if there is one. */
  public static Optional<ChannelProtocol> ofSubprotocol(String subprotocol) {
    for (ChannelProtocol p : values()) {
      if (p.subprotocol.equals(subprotocol)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
