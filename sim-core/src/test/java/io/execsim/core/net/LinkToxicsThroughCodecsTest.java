package io.execsim.core.net;

import io.execsim.core.testing.NettyLeaks;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.http.GoHttpServer;
import io.execsim.core.http.GoResponse;
import io.execsim.core.net.toxic.Corrupt;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Slicer;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Toxics under real protocol codecs: what an HTTP or WebSocket decoder makes of a corrupted, cut or reset stream. */
class LinkToxicsThroughCodecsTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private static final String REQUEST = "GET /version HTTP/1.1\r\nHost: apiserver:6443\r\n\r\n";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler, new SimRandom(3), new Trace(scheduler));

  @AfterEach
  void noBufferLeaked() {
    NettyLeaks.assertNoneLeaked();
  }

  @Test
  void aCorruptedRequestLineGetsGosBadRequest() {
    List<String> served = new ArrayList<>();
    network.listen("apiserver:6443", ch -> GoHttpServer.install(ch, scheduler, ex -> {
      served.add(ex.uri());
      ex.respond(GoResponse.text(200, "v1.34.0"));
    }));
    LinkProbe client = new LinkProbe(scheduler);
    SimChannel ch = scheduler.await(network.dial("kubectl", "apiserver:6443", c -> c.pipeline().addLast(client)));
    // the major version digit of "HTTP/1.1": no longer a digit
    ch.link().direction(Direction.TO_SERVER).add(new Corrupt(0xff), REQUEST.indexOf("HTTP/") + 5);

    ch.writeAndFlush(Unpooled.copiedBuffer(REQUEST, StandardCharsets.US_ASCII));
    scheduler.runUntilIdle();

    assertThat(served).isEmpty();
    assertThat(client.text()).isEqualTo("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Connection: close\r\n\r\n400 Bad Request");
    assertThat(client.closedAt()).isPresent();
  }

  @Test
  void aCorruptedWebSocketFrameHeaderFailsTheFrameDecoder() {
    List<String> frames = new ArrayList<>();
    LinkProbe server = new LinkProbe(scheduler);
    network.listen("apiserver:6443", ch -> ch.pipeline().addLast(new WebSocket08FrameEncoder(false),
        new WebSocket08FrameDecoder(true, false, 1 << 16), new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            frames.add(((WebSocketFrame) msg).content().toString(StandardCharsets.UTF_8));
            ReferenceCountUtil.release(msg);
          }
        }, server));
    LinkProbe client = new LinkProbe(scheduler);
    SimChannel ch = scheduler.await(network.dial("kubectl", "apiserver:6443",
        c -> c.pipeline().addLast(new WebSocket08FrameEncoder(true), client)));
    // a masked client frame with two bytes of payload takes 2 + 4 + 2 bytes; the second frame's RSV1 bit is set
    ch.link().direction(Direction.TO_SERVER).add(new Corrupt(0x40), 8);

    ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)));
    ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer("yo", StandardCharsets.UTF_8)));
    scheduler.runUntilIdle();

    assertThat(frames).containsExactly("hi");
    // the decoder answers the protocol error with a close frame, 1002 and its reason, and closes
    String reason = "RSV != 0 and no extension negotiated, RSV:4";
    assertThat(client.text()).isEqualTo("\u0088" + (char) (2 + reason.length()) + "\u0003\u00ea" + reason);
    assertThat(server.closedAt()).isPresent();
    assertThat(client.closedAt()).isPresent();
  }

  @Test
  void aResetMidResponseReachesTheHttpClientAfterTheBytesBeforeIt() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    String first = "5\r\nhello\r\n";
    LinkProbe server = new LinkProbe(scheduler);
    network.listen("apiserver:6443", ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        ctx.writeAndFlush(ascii(head + first));
        scheduler.schedule(Duration.ofSeconds(1), () -> ctx.writeAndFlush(ascii("5\r\nworld\r\n0\r\n\r\n")));
      }
    }, server));
    List<String> seen = new ArrayList<>();
    SimChannel ch = scheduler.await(network.dial("kubectl", "apiserver:6443", c -> c.pipeline().addLast(
        new HttpClientCodec(), new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse res) {
              seen.add("head " + res.status().code());
            }
            if (msg instanceof HttpContent content && content.content().isReadable()) {
              seen.add("content " + content.content().toString(StandardCharsets.US_ASCII));
            }
            if (msg instanceof LastHttpContent) {
              seen.add("end");
            }
            ReferenceCountUtil.release(msg);
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            seen.add("closed at +" + scheduler.elapsed().toMillis() + "ms");
          }
        })));
    ch.link().direction(Direction.TO_CLIENT).add(new Reset(), head.length() + first.length());

    ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/logs"));
    scheduler.runUntilIdle();

    assertThat(seen).containsExactly("head 200", "content hello",
        "ConnectionResetException: Connection reset by peer", "closed at +1000ms");
    assertThat(server.exceptions()).singleElement().isInstanceOf(ConnectionResetException.class);
    assertThat(server.closedAt()).contains(Duration.ofSeconds(1));
  }

  @Test
  void aResponseSlicedIntoSingleBytesStillDecodesOneSliceAMillisecondLater() {
    String response = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nv1.34.0";
    network.listen("apiserver:6443", ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        ctx.writeAndFlush(ascii(response));
      }
    }));
    List<String> bodies = new ArrayList<>();
    SimChannel ch = scheduler.await(network.dial("kubectl", "apiserver:6443", c -> c.pipeline().addLast(
        new HttpClientCodec(), new HttpObjectAggregator(1 << 16), new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bodies.add(((FullHttpResponse) msg).content().toString(StandardCharsets.US_ASCII) + " at +"
                + scheduler.elapsed().toMillis() + "ms");
            ReferenceCountUtil.release(msg);
          }
        })));
    ch.link().direction(Direction.TO_CLIENT).add(new Slicer(1, 0, Duration.ofMillis(1)), 0);

    ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/version"));
    scheduler.runUntilIdle();

    assertThat(bodies).containsExactly("v1.34.0 at +" + (response.length() - 1) + "ms");
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }
}
