package io.execsim.core.http;

import io.execsim.core.net.SimChannel;
import io.execsim.core.sched.Scheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request a {@link GoHttpServer} received, and the means to answer it: with a response ({@link #respond}), or
 * by taking the connection over as a byte stream ({@link #hijack}), as a Go handler does with
 * {@code http.Hijacker}.
 *
 * <p>The request's parts are copies and stay valid; {@link #ctx()} and {@link #request()} are valid only while the
 * server's handler runs. A handler that answers later must {@link #hijack} an upgrade request before it returns,
 * so that bytes the client sends after the request are kept, not parsed as HTTP. Runs on the simulation's thread.
 */
public final class HttpExchange {
  private final ChannelHandlerContext ctx;
  private final ChannelHandlerContext rawOut;
  private final Scheduler scheduler;
  private final String method;
  private final String uri;
  private final HttpHeaders headers;
  private final byte[] body;
  private final boolean keepAlive;
  private @Nullable FullHttpRequest request;
  private @Nullable RawConnection raw;
  private boolean responded;

  HttpExchange(ChannelHandlerContext ctx, ChannelHandlerContext rawOut, Scheduler scheduler, FullHttpRequest req) {
    this.ctx = ctx;
    this.rawOut = rawOut;
    this.scheduler = scheduler;
    this.method = req.method().name();
    this.uri = req.uri();
    this.headers = new DefaultHttpHeaders().add(req.headers());
    this.body = ByteBufUtil.getBytes(req.content());
    this.keepAlive = isKeepAlive(req);
    this.request = req;
  }

  private static boolean isKeepAlive(FullHttpRequest req) {
    if (req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
      return false;
    }
    return req.protocolVersion().equals(HttpVersion.HTTP_1_1)
        || req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true);
  }

  void endCall() {
    request = null;
  }

  /** The request method, e.g. {@code POST}. */
  public String method() {
    return method;
  }

  /** The request target as sent, path and query. */
  public String uri() {
    return uri;
  }

  /** The path of the request target, as sent (not decoded). */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The query of the request target. */
  public Query query() {
    return Query.ofTarget(uri);
  }

  /** A copy of the request headers. */
  public HttpHeaders headers() {
    return headers.copy();
  }

  /** The request headers as Go's server holds them: canonical names, values in order, without {@code Host}. */
  public Map<String, List<String>> goHeaders() {
    Map<String, List<String>> h = GoHttp.canonical(headers);
    h.remove("Host");
    return h;
  }

  /** The {@code Host} header; empty when the request had none. */
  public String host() {
    String h = headers.get(HttpHeaderNames.HOST);
    return h == null ? "" : h;
  }

  /** A copy of the request body. */
  public byte[] body() {
    return body.clone();
  }

  /** Whether the request asks for a protocol upgrade ({@link GoHttp#isUpgradeRequest}). */
  public boolean isUpgradeRequest() {
    return GoHttp.isUpgradeRequest(headers);
  }

  /** The name of the peer that sent the request, e.g. the dialer's name on the simulated network. */
  public String remoteHost() {
    Channel ch = ctx.channel();
    if (ch instanceof SimChannel sim) {
      String link = sim.link().name();
      int arrow = link.indexOf("->");
      return arrow < 0 ? link : link.substring(0, arrow);
    }
    return String.valueOf(ch.remoteAddress());
  }

  /** The scheduler the connection runs on. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The connection's channel. */
  public Channel channel() {
    return ctx.channel();
  }

  /** The context of the server's handler in the channel's pipeline; valid only while the handler runs. */
  public ChannelHandlerContext ctx() {
    if (request == null) {
      throw new IllegalStateException("the handler context is valid only while the server's handler runs");
    }
    return ctx;
  }

  /** The request as Netty decoded it; valid only while the server's handler runs, retain it to keep it. */
  public FullHttpRequest request() {
    FullHttpRequest r = request;
    if (r == null) {
      throw new IllegalStateException("the request is valid only while the server's handler runs");
    }
    return r;
  }

  /** Whether a response was written. */
  public boolean isResponded() {
    return responded;
  }

  /**
   * Writes {@code response}. The connection stays open for the next request unless the client asked to close it
   * or the exchange was hijacked; a hijacked connection is closed after the response (where Go would keep it).
   */
  public void respond(GoResponse response) {
    if (responded) {
      throw new IllegalStateException("a response was already written: " + method + " " + uri);
    }
    responded = true;
    RawConnection r = raw;
    if (r != null) {
      r.write(response.encode(ctx.alloc(), scheduler.now(), false));
      r.close();
      return;
    }
    rawOut.writeAndFlush(response.encode(ctx.alloc(), scheduler.now(), !keepAlive));
    if (!keepAlive) {
      ctx.close();
    }
  }

  /**
   * Stops reading HTTP on this connection and answers it as a byte stream: the bytes the client sent after the
   * request, and all later ones, go to the stream's reader. {@link #respond} still works until bytes are written
   * to the stream. Calling it again answers the same stream.
   */
  public RawConnection hijack() {
    RawConnection r = raw;
    if (r != null) {
      return r;
    }
    Channel ch = ctx.channel();
    r = RawConnection.install(ch, scheduler);
    raw = r;
    ChannelPipeline p = ch.pipeline();
    // the decoder hands the bytes it holds beyond the request to the next handler when it is removed
    removeIfPresent(p, GoHttpServer.DISPATCH);
    removeIfPresent(p, GoHttpServer.AGGREGATOR);
    removeIfPresent(p, GoHttpServer.CODEC);
    return r;
  }

  /** Marks the exchange as answered by someone who took over the channel (a stream translator). */
  public void handOver() {
    responded = true;
  }

  private static void removeIfPresent(ChannelPipeline p, String name) {
    if (p.get(name) != null) {
      p.remove(name);
    }
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
