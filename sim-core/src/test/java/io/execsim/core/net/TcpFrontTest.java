package io.execsim.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.sched.RealtimeScheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TcpFrontTest {

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void realClientReachesASimulatedListener() throws Exception {
    try (RealtimeScheduler scheduler = new RealtimeScheduler(Duration.ofSeconds(10))) {
      Network network = new Network(scheduler);
      network.listen("apiserver:6443", ch -> ch.pipeline().addLast(new HttpServerCodec(),
          new HttpObjectAggregator(1 << 16), new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
              FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                  Unpooled.copiedBuffer("simulated " + req.uri(), StandardCharsets.UTF_8));
              res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
              ctx.writeAndFlush(res);
            }
          }));

      try (TcpFront front = TcpFront.open(network, "apiserver:6443", 0)) {
        HttpResponse<String> res = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/version"))
                .timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("simulated /version");
      }
    }
  }
}
