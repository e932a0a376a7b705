package io.execsim.core.websocket;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.util.Optional;

/**
 * gorilla/websocket's texts for what a client reads: {@code CloseError} as {@code websocket: close <code> (<name>):
 * <text>}, its set of close codes a peer may send, and its protocol errors for the frames Netty's decoder rejects.
 */
final class GorillaTexts {
  /** gorilla's {@code CloseNoStatusReceived}: a close frame without a code. */
  static final int NO_STATUS = 1005;
  /** gorilla's {@code CloseAbnormalClosure}: the connection ended without a close frame. */
  static final int ABNORMAL_CLOSURE = 1006;
  /** gorilla's {@code CloseNormalClosure}. */
  static final int NORMAL_CLOSURE = 1000;
  /** gorilla's {@code CloseProtocolError}. */
  static final int PROTOCOL_ERROR = 1002;

  private GorillaTexts() {
  }

  /** {@code CloseError.Error()}. */
  static String closeError(int code, String text) {
    StringBuilder s = new StringBuilder("websocket: close ").append(code);
    name(code).ifPresent(n -> s.append(" (").append(n).append(')'));
    if (!text.isEmpty()) {
      s.append(": ").append(text);
    }
    return s.toString();
  }

  /** The close codes gorilla accepts from a peer; others are a protocol error. */
  static boolean isValidReceivedCloseCode(int code) {
    return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1013 || code >= 3000 && code <= 4999;
  }

  /**
   * gorilla's text (after {@code websocket: }) for a frame Netty rejected, or empty when gorilla would read the
   * frame as a close without a code.
   */
  static Optional<String> protocolError(CorruptedWebSocketFrameException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("received close control frame with payload len 1")) {
      return Optional.empty();
    }
    if (m.startsWith("RSV != 0")) {
      int rsv = Integer.parseInt(m.substring(m.lastIndexOf(':') + 1).trim());
      StringBuilder b = new StringBuilder();
      for (int bit = 2; bit >= 0; bit--) {
        if ((rsv & (1 << bit)) != 0) {
          b.append(b.length() == 0 ? "" : ", ").append("RSV").append(3 - bit).append(" set");
        }
      }
      return Optional.of(b.toString());
    }
    if (m.contains("reserved opcode")) {
      return Optional.of("bad opcode " + m.substring(m.lastIndexOf(' ') + 1));
    }
    if (m.startsWith("control frame with payload length > 125")) {
      return Optional.of("len > 125 for control");
    }
    if (m.startsWith("fragmented control frame")) {
      return Optional.of("FIN not set on control");
    }
    if (m.startsWith("received continuation data frame outside fragmented message")) {
      return Optional.of("continuation after FIN");
    }
    if (m.startsWith("received non-continuation data frame while inside fragmented message")) {
      return Optional.of("data before FIN");
    }
    if (m.contains("masked")) {
      return Optional.of("bad MASK");
    }
    if (m.startsWith("Invalid close frame getStatus code:")) {
      return Optional.of("bad close code " + m.substring(m.lastIndexOf(':') + 1).trim());
    }
    if (m.startsWith("Invalid close frame body")) {
      return Optional.of("invalid utf8 payload in close frame");
    }
    // TODO: a rejection gorilla has no text for keeps Netty's wording.
    return Optional.of(m);
  }

  private static Optional<String> name(int code) {
    return Optional.ofNullable(switch (code) {
      case 1000 -> "normal";
      case 1001 -> "going away";
      case 1002 -> "protocol error";
      case 1003 -> "unsupported data";
      case 1005 -> "no status";
      case 1006 -> "abnormal closure";
      case 1007 -> "invalid payload data";
      case 1008 -> "policy violation";
      case 1009 -> "message too big";
      case 1010 -> "mandatory extension missing";
      case 1011 -> "internal server error";
      case 1015 -> "TLS handshake error";
      default -> null;
    });
  }
}
