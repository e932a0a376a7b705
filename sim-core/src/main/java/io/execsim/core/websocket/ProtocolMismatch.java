package io.execsim.core.websocket;

/** What a server answers when it supports none of the subprotocols a client offered. */
public enum ProtocolMismatch {
  /**
   * {@code 403 Forbidden} with no headers and no body, then the connection closes: golang.org/x/net/websocket
   * failing its handshake function. Both the apiserver's v5 translator and the legacy kubelet/CRI streaming server
   * sit on it; a kubectl offering only v5 to the legacy server sees {@code websocket: bad handshake (403
   * Forbidden)} and falls back to SPDY.
   */
  REFUSE_FORBIDDEN,
  /**
   * {@code 101} without {@code Sec-WebSocket-Protocol}, then the streams as {@link ChannelProtocol#NONE}: what a
   * server on gorilla's or Netty's handshaker does. kubectl answers {@code invalid protocol, expected one of
   * ["v5.channel.k8s.io"], got ""} and falls back to SPDY.
   */
  UPGRADE_WITHOUT_PROTOCOL
}
