package io.execsim.core.outcome;

/** The stream protocol a client ran an exec over, once it got as far as upgrading a connection. */
public enum ClientProtocol {
  /** WebSocket with the subprotocol {@code v5.channel.k8s.io}, kubectl's first choice since 1.30. */
  WEBSOCKET_V5("websocket"),
  /** SPDY/3.1 with the {@code X-Stream-Protocol-Version} the server picked, kubectl's fallback. */
  SPDY("SPDY/3.1");

  private final String label;

  ClientProtocol(String label) {
    this.label = label;
  }

  /** The name clients and traces use, {@code websocket} or {@code SPDY/3.1}. */
  public String label() {
    return label;
  }

  /** The protocol named {@code label}, as {@link #label()} spells it. */
  public static ClientProtocol ofLabel(String label) {
    for (ClientProtocol p : values()) {
      if (p.label.equals(label)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown client protocol: " + label);
  }
}
