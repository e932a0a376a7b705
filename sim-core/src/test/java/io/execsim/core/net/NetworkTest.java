package io.execsim.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NetworkTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);

  @Test
  void httpRequestAndResponseCrossALink() {
    network.setCapture(true);
    network.listen("apiserver:6443", ch -> ch.pipeline().addLast(new HttpServerCodec(),
        new HttpObjectAggregator(1 << 16), new SimpleChannelInboundHandler<FullHttpRequest>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("you asked for " + req.uri(), StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            ctx.writeAndFlush(res);
          }
        }));
    CompletableFuture<String> body = new CompletableFuture<>();

    SimChannel client = scheduler.await(network.dial("kubectl", "apiserver:6443", ch -> ch.pipeline().addLast(
        new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
        new SimpleChannelInboundHandler<FullHttpResponse>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            body.complete(res.content().toString(StandardCharsets.UTF_8));
          }
        })));
    client.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/version"));

    assertThat(scheduler.await(body)).isEqualTo("you asked for /version");
    Link link = network.links().get(0);
    assertThat(new String(link.clientBytes(), StandardCharsets.US_ASCII)).startsWith("GET /version HTTP/1.1\r\n");
    assertThat(new String(link.serverBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void closingOneEndClosesThePeer() {
    network.listen("kubelet:10250", ch -> { });
    SimChannel client = scheduler.await(network.dial("apiserver", "kubelet:10250", ch -> { }));
    Link link = network.links().get(0);

    client.close();
    scheduler.runUntilIdle();

    assertThat(link.server().isOpen()).isFalse();
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void dialingNobodyIsRefused() {
    assertThatThrownBy(() -> scheduler.await(network.dial("apiserver", "10.0.0.9:10250", ch -> { })))
        .hasMessage("dial tcp 10.0.0.9:10250: connect: connection refused");
  }
}
