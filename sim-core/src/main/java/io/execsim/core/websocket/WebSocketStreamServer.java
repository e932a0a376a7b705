package io.execsim.core.websocket;

import io.execsim.core.error.GoText;
import io.execsim.core.sched.Scheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the remote command protocol over WebSocket, as wsstream runs it on golang.org/x/net/websocket:
 * it answers an upgrade request already read on a channel, negotiates a {@link ChannelProtocol} in the client's
 * order of preference, switches the pipeline with Netty's server handshaker and hands out the exec's streams.
 *
 * <p>The channel's pipeline must hold an {@code HttpServerCodec} (and usually an {@code HttpObjectAggregator}); the
 * handshake replaces them. Call it on the simulation's scheduler thread, like everything on a channel.
 */
public final class WebSocketStreamServer {
  private static final Logger log = LoggerFactory.getLogger(WebSocketStreamServer.class);

  /** The largest frame x/net reads (its {@code DefaultMaxPayloadBytes}). */
  static final int MAX_PAYLOAD_BYTES = 32 << 20;
  // Header names as x/net spells them; the names of the handlers Netty's server handshaker adds, and ours.
  private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";
  private static final String VERSION_HEADER = "Sec-WebSocket-Version";
  private static final String DECODER_NAME = "wsdecoder";
  private static final String HANDLER_NAME = "execsim-ws-server";

  private final Scheduler scheduler;
  private final WebSocketServerConfig config;

  /** A server that keeps time on {@code scheduler} and negotiates as {@code config} says. */
  public WebSocketStreamServer(Scheduler scheduler, WebSocketServerConfig config) {
    this.scheduler = scheduler;
    this.config = config;
  }

  /**
   * Answers {@code request} on {@code channel}: a refusal (the response is written and the channel closes) gives
   * an empty optional; an upgrade gives the streams, after the readiness message went out. The request is not
   * released.
   */
  public Optional<WebSocketServerStreams> upgrade(Channel channel, FullHttpRequest request,
      RequestedStreams streams) {
    String id = NetTexts.id(channel);
    HttpHeaders headers = request.headers();

    // x/net ReadHandshake: the method first, then the upgrade headers, the key and the version
    if (!HttpMethod.GET.equals(request.method())) {
      return refuse(channel, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad method", false);
    }
    String upgrade = headers.get(HttpHeaderNames.UPGRADE, "");
    String connection = headers.get(HttpHeaderNames.CONNECTION, "");
    if (!upgrade.toLowerCase(Locale.ROOT).equals("websocket")
        || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
      return refuse(channel, HttpResponseStatus.BAD_REQUEST, "not websocket protocol", false);
    }
    if (headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY, "").isEmpty()) {
      return refuse(channel, HttpResponseStatus.BAD_REQUEST, "mismatch challenge/response", false);
    }
    String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "");
    if (!version.equals("13") && !version.equals("8")) {
      return refuse(channel, HttpResponseStatus.BAD_REQUEST, "missing or bad WebSocket Version", true);
    }

    // wsstream handshake: the first offered subprotocol the server accepts; no header offers ""
    List<String> offered = offeredProtocols(headers);
    Optional<ChannelProtocol> selected = select(offered);
    HttpHeaders extra = new DefaultHttpHeaders();
    if (selected.isEmpty()) {
      if (config.onMismatch() == ProtocolMismatch.REFUSE_FORBIDDEN) {
        log.debug("{} refused: requested protocol(s) are not supported: {}; supports {}", id, offered,
            config.protocols());
        return refuse(channel, HttpResponseStatus.FORBIDDEN, "", false);
      }
      selected = Optional.of(ChannelProtocol.NONE);
    } else if (selected.get() == ChannelProtocol.NONE) {
      // x/net echoes the negotiated protocol even when it is the empty one
      extra.add(PROTOCOL_HEADER, "");
    }
    ChannelProtocol protocol = selected.get();

    WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(MAX_PAYLOAD_BYTES)
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        // x/net ignores the reserved bits, so Netty must let them through
        .allowExtensions(true)
        .closeOnProtocolViolation(false)
        .withUTF8Validator(false)
        .build();
    String location = "ws://" + headers.get(HttpHeaderNames.HOST, "") + request.uri();
    @Nullable String subprotocols = protocol == ChannelProtocol.NONE ? null : protocol.subprotocol();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, subprotocols, decoderConfig).newHandshaker(request);
    if (handshaker == null) {
      return refuse(channel, HttpResponseStatus.BAD_REQUEST, "missing or bad WebSocket Version", true);
    }
    try {
      handshaker.handshake(channel, request, extra, channel.newPromise());
    } catch (WebSocketHandshakeException e) {
      // TODO: Netty reads Connection as a token list where x/net looks for a substring; such requests get 400.
      log.debug("{} refused by the handshaker: {}", id, e.getMessage());
      return refuse(channel, HttpResponseStatus.BAD_REQUEST, "not websocket protocol", false);
    }
    log.debug("{} upgraded to WebSocket, subprotocol {}", id, GoText.quote(protocol.subprotocol()));
    WebSocketServerStreams session = new WebSocketServerStreams(scheduler, channel, protocol, streams,
        config.idleTimeout());
    channel.pipeline().addAfter(DECODER_NAME, HANDLER_NAME, session.handler());
    session.start();
    return Optional.of(session);
  }

  private Optional<ChannelProtocol> select(List<String> offered) {
    for (String name : offered) {
      for (ChannelProtocol p : config.protocols()) {
        if (p.subprotocol().equals(name)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> offeredProtocols(HttpHeaders headers) {
    List<String> offered = new ArrayList<>();
    for (String p : headers.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "").trim().split(",", -1)) {
      offered.add(p.trim());
    }
    return offered;
  }

  private static Optional<WebSocketServerStreams> refuse(Channel channel, HttpResponseStatus status, String body,
      boolean versionHeader) {
    // x/net writes a bare status line, no Content-Length, the error text as body, then closes
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    if (versionHeader) {
      response.headers().add(VERSION_HEADER, "13");
    }
    log.debug("{} answered {} {}", NetTexts.id(channel), status, GoText.quote(body));
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    return Optional.empty();
  }
}
