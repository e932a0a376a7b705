package io.execsim.core.remotecommand;

import io.execsim.core.testing.NettyLeaks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.io.Streams;
import io.execsim.core.net.Network;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.spdy.SpdySession;
import io.execsim.core.spdy.SpdyStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpdyExecutorTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private static final String ADDRESS = "10.0.0.9:10250";
  private static final ExecTarget TARGET = new ExecTarget(ADDRESS, ADDRESS,
      "/exec/ns/pod/c?command=date&error=1&output=1", Map.of("User-Agent", List.of("kubectl/v1.32.4"),
          "x-forwarded-for", List.of("10.0.0.1")));

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final SpdyExecutor executor = new SpdyExecutor(network, "apiserver", "https", TARGET,
      StreamProtocol.KUBECTL_SPDY_OFFER);
  private final Streams.Collector stdout = new Streams.Collector(1 << 20);
  private final Streams.Collector stderr = new Streams.Collector(1 << 20);
  private final StreamOptions outputs = new StreamOptions(Optional.empty(), Optional.of(stdout),
      Optional.of(stderr), false, Optional.empty());

  @AfterEach
  void noBufferLeaks() {
    // Bytes still on their way are buffers too: deliver them before looking for leaks.
    scheduler.runUntilIdle();
    NettyLeaks.assertNoneLeaked();
  }

  /** Answers the upgrade request with what {@code answer} makes of it. */
  private void serve(Function<FullHttpRequest, FullHttpResponse> answer) {
    network.listen(ADDRESS, ch -> ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
        new SimpleChannelInboundHandler<FullHttpRequest>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            ctx.writeAndFlush(answer.apply(req));
          }
        }));
  }

  /** Upgrades every request to SPDY with protocol v4 and hands the client's streams to {@code onStream}. */
  private void serveSpdy(Consumer<SpdyStream> onStream) {
    network.listen(ADDRESS, ch -> ch.pipeline().addLast("http", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(1 << 16))
        .addLast("upgrade", new SimpleChannelInboundHandler<FullHttpRequest>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS);
            res.headers().add("Connection", "Upgrade").add("Upgrade", "SPDY/3.1")
                .add(StreamProtocol.PROTOCOL_HEADER, StreamProtocol.V4);
            ctx.writeAndFlush(res);
            SpdySession session = SpdySession.newServer(scheduler, onStream);
            ctx.pipeline().addAfter("http", "spdy", SpdySession.newCodec());
            ctx.pipeline().addAfter("spdy", "session", session.handler());
            ctx.pipeline().remove("aggregate");
            ctx.pipeline().remove(this);
            ctx.pipeline().remove("http");
          }
        }));
  }

  private static FullHttpResponse response(HttpResponseStatus status, String body) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    res.headers().add("Content-Length", res.content().readableBytes());
    return res;
  }

  private GoError failure() {
    CompletableFuture<Void> done = executor.stream(outputs).toCompletableFuture();
    assertThatThrownBy(() -> scheduler.await(done)).isInstanceOf(GoError.class);
    return GoError.from(done.handle((v, e) -> e).join());
  }

  @Test
  void requestCarriesTheUpgradeAndOneVersionHeaderPerProtocolInGoOrder() {
    network.setCapture(true);
    serve(req -> response(HttpResponseStatus.NOT_FOUND, "404 page not found\n"));

    failure();

    String request = new String(network.links().get(0).clientBytes(), StandardCharsets.US_ASCII);
    assertThat(request).isEqualTo("POST /exec/ns/pod/c?command=date&error=1&output=1 HTTP/1.1\r\n"
        + "Host: 10.0.0.9:10250\r\n"
        + "User-Agent: kubectl/v1.32.4\r\n"
        + "Content-Length: 0\r\n"
        + "Connection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n"
        + "X-Forwarded-For: 10.0.0.1\r\n"
        + "X-Stream-Protocol-Version: v5.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: v2.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: channel.k8s.io\r\n"
        + "\r\n");
  }

  @Test
  void refusedUpgradeWithATextBodyFailsWithTheTrimmedBody() {
    serve(req -> response(HttpResponseStatus.NOT_FOUND, "404 page not found\n"));

    GoError e = failure();

    assertThat(e.text()).isEqualTo("unable to upgrade connection: 404 page not found");
    assertThat(e).isNotInstanceOf(UpgradeFailureError.class);
    scheduler.runUntilIdle();
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void refusedUpgradeWithAStatusBodyFailsWithAStatusError() {
    serve(req -> response(HttpResponseStatus.FORBIDDEN, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"pods \\\"p\\\" is forbidden\",\"reason\":\"Forbidden\","
        + "\"code\":403}"));

    GoError e = failure();

    assertThat(e).isInstanceOfSatisfying(StatusError.class, s -> {
      assertThat(s.text()).isEqualTo("pods \"p\" is forbidden");
      assertThat(s.reason()).isEqualTo("Forbidden");
      assertThat(s.code()).isEqualTo(403);
    });
  }

  @Test
  void switchingWithoutSpdyHeadersAndNoBodyIsAnEmptyStatusError() {
    serve(req -> new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));

    GoError e = failure();

    assertThat(e).isInstanceOf(StatusError.class).hasMessage("");
  }

  @Test
  void dialingNobodyFailsWithErrorSendingRequest() {
    GoError e = failure();

    assertThat(e.text()).isEqualTo("error sending request: Post \"https://10.0.0.9:10250/exec/ns/pod/c?command=date"
        + "&error=1&output=1\": dial tcp 10.0.0.9:10250: connect: connection refused");
  }

  @Test
  void streamWithoutReplyTimesOutAfter30SecondsWhilePinging() {
    network.setCapture(true);
    List<SpdyStream> seen = new ArrayList<>();
    serveSpdy(seen::add);

    GoError e = failure();

    assertThat(e.text()).isEqualTo("Timeout occurred");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(30));
    assertThat(seen).hasSize(1);
    assertThat(clientFrames()).containsExactly("SYN_STREAM 1 {streamtype=[error]}", "PING 1", "PING 3", "PING 5",
        "PING 7", "PING 9", "RST_STREAM 1 5", "GOAWAY 0");
  }

  @Test
  void droppedConnectionAfterTheStreamsEndsAsSuccess() {
    List<SpdyStream> seen = new ArrayList<>();
    serveSpdy(s -> {
      seen.add(s);
      s.reply(Map.of("streamtype", s.header("streamtype").orElse("")));
      if (seen.size() == 3) {
        seen.get(1).sink().write("partial".getBytes(StandardCharsets.UTF_8));
        network.links().get(0).server().close();
      }
    });

    scheduler.await(executor.stream(outputs));

    assertThat(new String(stdout.bytes(), StandardCharsets.UTF_8)).isEqualTo("partial");
    assertThat(stdout.isClosed()).isTrue();
    assertThat(stderr.isClosed()).isTrue();
  }

  /** The frames the client sent after its HTTP request, decoded by an independent codec. */
  private List<String> clientFrames() {
    byte[] all = network.links().get(0).clientBytes();
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int start = text.indexOf("\r\n\r\n") + 4;
    EmbeddedChannel decoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    decoder.writeInbound(Unpooled.wrappedBuffer(all, start, all.length - start));
    List<String> out = new ArrayList<>();
    for (Object f; (f = decoder.readInbound()) != null; ) {
      if (f instanceof SpdySynStreamFrame s) {
        Map<String, List<String>> h = new java.util.TreeMap<>();
        s.headers().names().forEach(n -> h.put(n.toString(), s.headers().getAllAsString(n)));
        out.add("SYN_STREAM " + s.streamId() + " " + h);
      } else if (f instanceof SpdyPingFrame p) {
        out.add("PING " + p.id());
      } else if (f instanceof SpdyRstStreamFrame r) {
        out.add("RST_STREAM " + r.streamId() + " " + r.status().code());
      } else if (f instanceof SpdyGoAwayFrame g) {
        out.add("GOAWAY " + g.lastGoodStreamId());
      } else if (f instanceof SpdyDataFrame d) {
        out.add("DATA " + d.streamId() + (d.isLast() ? " FIN" : ""));
      }
      ReferenceCountUtil.release(f);
    }
    decoder.finishAndReleaseAll();
    return out;
  }
}
