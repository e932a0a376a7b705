package io.execsim.core.websocket;

import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.sched.SimRandom;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Netty's version 13 client handshaker, made deterministic and gorilla-like: the challenge key and the frame masks
 * come from the simulation's seeded source, no {@code Origin} header goes out, the response is checked by the
 * executor (as gorilla checks it) before {@link #finishHandshake} switches the pipeline, and the frame decoder leaves
 * protocol violations to the executor instead of closing the connection.
 */
final class SeededClientHandshaker extends WebSocketClientHandshaker13 {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final SimRandom random;
  private final String key;

  SeededClientHandshaker(URI uri, HttpHeaders headers, SimRandom random) {
    super(uri, WebSocketVersion.V13, StreamProtocol.V5, false, headers, Integer.MAX_VALUE, true, false);
    this.random = random;
    // gorilla's challenge key: 16 random bytes in standard base64
    byte[] nonce = new byte[16];
    for (int i = 0; i < nonce.length; i++) {
      nonce[i] = (byte) random.nextInt(256);
    }
    this.key = Base64.getEncoder().encodeToString(nonce);
  }

  /** The {@code Sec-WebSocket-Accept} value a server must answer with. */
  String expectedAccept() {
    try {
      byte[] challenge = (key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII);
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(challenge));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  @Override
  protected FullHttpRequest newHandshakeRequest() {
    FullHttpRequest request = super.newHandshakeRequest();
    request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_KEY, key);
    if (!customHeaders.contains(HttpHeaderNames.ORIGIN)) {
      request.headers().remove(HttpHeaderNames.ORIGIN);
    }
    return request;
  }

  @Override
  protected void verify(FullHttpResponse response) {
    // the executor has checked status, upgrade headers, accept key and subprotocol as gorilla and client-go do
  }

  @Override
  protected WebSocketFrameDecoder newWebsocketDecoder() {
    return new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .maxFramePayloadLength(Integer.MAX_VALUE)
        .closeOnProtocolViolation(false)
        .build());
  }

  @Override
  protected WebSocketFrameEncoder newWebSocketEncoder() {
    return new WebSocket13FrameEncoder(() -> (int) random.nextLong());
  }
}
