package io.execsim.core.http;

import io.execsim.core.sched.Scheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 on a connection as a Go {@code net/http} server does, for the simulated Go servers of the chain:
 * Netty decodes each request whole, a {@link Handler} answers it through an {@link HttpExchange}, and responses are
 * written as Go writes them ({@link GoResponse}), bypassing Netty's encoder. A handler may hijack the connection.
 *
 * <p>Everything runs on the channel's (the simulation's) thread. A request Netty cannot parse gets Go's
 * {@code 400 Bad Request} and the connection is closed; a handler that throws closes the connection, as a Go
 * server does when a handler panics.
 */
public final class GoHttpServer {
  private static final Logger log = LoggerFactory.getLogger(GoHttpServer.class);

  static final String RAW_OUT = "http-raw-out";
  static final String CODEC = "http-codec";
  static final String AGGREGATOR = "http-aggregator";
  static final String DISPATCH = "http-dispatch";
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private GoHttpServer() {
  }

  /** Answers the requests of one connection. */
  @FunctionalInterface
  public interface Handler {
    /** Answers {@code exchange}, now or later; see {@link HttpExchange} for what must happen before returning. */
    void serve(HttpExchange exchange);
  }

  /** Sets up {@code channel}'s pipeline so that {@code handler} answers every request it receives. */
  public static void install(Channel channel, Scheduler scheduler, Handler handler) {
    channel.pipeline()
        .addLast(RAW_OUT, new ChannelOutboundHandlerAdapter())
        .addLast(CODEC, new HttpServerCodec())
        .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast(DISPATCH, new Dispatcher(scheduler, handler));
  }

  private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Scheduler scheduler;
    private final Handler handler;

    Dispatcher(Scheduler scheduler, Handler handler) {
      super(FullHttpRequest.class);
      this.scheduler = scheduler;
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      ChannelHandlerContext rawOut = ctx.pipeline().context(RAW_OUT);
      if (req.decoderResult().isFailure()) {
        // net/http answers a request it cannot parse with a fixed text and closes
        String bad = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\n\r\n400 Bad Request";
        rawOut.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), bad));
        ctx.close();
        return;
      }
      HttpExchange exchange = new HttpExchange(ctx, rawOut, scheduler, req);
      try {
        handler.serve(exchange);
      } catch (RuntimeException e) {
        log.warn("{}: handler failed on {}; closing the connection", ctx.channel(), exchange, e);
        ctx.close();
      } finally {
        exchange.endCall();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("{}: closing after {}", ctx.channel(), cause.toString());
      ctx.close();
    }
  }
}
