package io.execsim.core.testing;

import io.execsim.core.net.Network;
import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Sends one request over the simulated network with Netty's HTTP client codec and collects the whole response. */
public final class HttpTestClient {
  private HttpTestClient() {
  }

  /** A response as the client saw it. */
  public record Response(int code, HttpHeaders headers, String body) {
  }

  /** Sends {@code method uri} with {@code headers} (name, value, ...) from {@code from} to {@code address}. */
  public static CompletableFuture<Response> send(DeterministicScheduler scheduler, Network network, String from,
      String address, String method, String uri, String... headers) {
    CompletableFuture<Response> done = new CompletableFuture<>();
    network.dial(from, address, ch -> ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
        new SimpleChannelInboundHandler<FullHttpResponse>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            done.complete(new Response(res.status().code(), res.headers().copy(),
                res.content().toString(StandardCharsets.UTF_8)));
          }
        })).thenAccept(ch -> {
          FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri,
              Unpooled.EMPTY_BUFFER);
          req.headers().set("Host", address);
          for (int i = 0; i < headers.length; i += 2) {
            req.headers().add(headers[i], headers[i + 1]);
          }
          ch.writeAndFlush(req);
        });
    return done;
  }

  /** {@link #send}, run in virtual time until the response is there. */
  public static Response call(DeterministicScheduler scheduler, Network network, String from, String address,
      String method, String uri, String... headers) {
    return scheduler.await(send(scheduler, network, from, address, method, uri, headers));
  }
}
