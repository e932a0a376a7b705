package io.execsim.cri.streaming;

import io.execsim.core.cri.ExecRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The hook where the streaming server hands over WebSocket requests: the legacy WebSocket server of the CRI streaming
 * library ({@code wsstream}), which speaks {@code channel.k8s.io}, {@code base64.channel.k8s.io},
 * {@code v4.channel.k8s.io} and {@code v4.base64.channel.k8s.io}, never {@code v5.channel.k8s.io}.
 *
 * <p>It runs on the simulation's thread inside the HTTP pipeline of the connection; the request is released when
 * {@link #serve} returns. The token is already used up by then, as in the real server.
 */
@FunctionalInterface
public interface LegacyWebSocketServer {

  /** Answers the WebSocket upgrade request {@code request} for {@code exec} on the connection of {@code ctx}. */
  void serve(ChannelHandlerContext ctx, FullHttpRequest request, ExecRequest exec);

  /**
   * The stand-in until the legacy server is plugged in: what golang.org/x/net's handshake writes when the protocol
   * check refuses every offered protocol, {@code 403 Forbidden} with no header and no body, then the connection
   * closes. That is what a {@code v5.channel.k8s.io}-only offer gets, and kubectl 1.30+ then falls back to SPDY.
   * TODO: offers of the legacy protocols are refused too until the legacy WebSocket server exists.
   */
  static LegacyWebSocketServer refusing() {
    return (ctx, request, exec) -> ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.FORBIDDEN, Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
  }
}
