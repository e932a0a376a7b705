package io.execsim.core.websocket;

import java.time.Duration;
import java.util.List;

/**
 * How a channel-stream server negotiates and how long it waits.
 *
 * @param protocols the subprotocols it accepts; the client's order decides among them
 * @param onMismatch what it answers when it accepts none of the offered subprotocols
 * @param idleTimeout the read and write deadline, pushed forward by each data message read and each message
 *     written; {@link Duration#ZERO} for none
 */
public record WebSocketServerConfig(List<ChannelProtocol> protocols, ProtocolMismatch onMismatch,
    Duration idleTimeout) {
  /** The idle deadline of the apiserver's WebSocket server and of the kubelet's streaming server. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(4);

  /** Checks and copies the values. */
  public WebSocketServerConfig {
    protocols = List.copyOf(protocols);
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("a server must accept at least one subprotocol: " + protocols);
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idle timeout must not be negative: " + idleTimeout);
    }
  }

  /** The apiserver's stream translator: {@code v5.channel.k8s.io} only, 4 h idle deadline. */
  public static WebSocketServerConfig apiServerTranslator() {
    return new WebSocketServerConfig(List.of(ChannelProtocol.V5), ProtocolMismatch.REFUSE_FORBIDDEN,
        DEFAULT_IDLE_TIMEOUT);
  }

  /** The legacy kubelet/CRI streaming server: no subprotocol, v1 and v4, binary and base64; 4 h idle deadline. */
  public static WebSocketServerConfig legacyStreamingServer() {
    return new WebSocketServerConfig(List.of(ChannelProtocol.NONE, ChannelProtocol.V1, ChannelProtocol.V1_BASE64,
        ChannelProtocol.V4, ChannelProtocol.V4_BASE64), ProtocolMismatch.REFUSE_FORBIDDEN, DEFAULT_IDLE_TIMEOUT);
  }
}
