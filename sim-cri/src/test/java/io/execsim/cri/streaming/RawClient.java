package io.execsim.cri.streaming;

import io.execsim.core.net.Network;
import io.execsim.core.net.SimChannel;
import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client that speaks to the streaming server with Netty's own codecs, independent of the simulator's SPDY code: one
 * HTTP request, and after a {@code 101} raw SPDY frames both ways, each received frame kept as a {@link Frame}.
 */
final class RawClient {
  private final DeterministicScheduler scheduler;
  private final List<Frame> frames = new ArrayList<>();
  private final CompletableFuture<Answer> answer = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final SimChannel channel;

  /** Connects to {@code address}. */
  RawClient(DeterministicScheduler scheduler, Network network, String address) {
    this.scheduler = scheduler;
    this.channel = scheduler.await(network.dial("kubelet", address, ch -> ch.pipeline()
        .addLast("http", new HttpClientCodec())
        .addLast("aggregate", new HttpObjectAggregator(1 << 20))
        .addLast("answer", new Answers())));
  }

  /**
   * An HTTP answer.
   *
   * @param status the status code
   * @param headers the header lines in order, as name: value
   * @param body the body as text
   */
  record Answer(int status, List<String> headers, String body) {
  }

  /**
   * A frame the server sent, as plain values.
   *
   * @param type SYN_REPLY, DATA, RST_STREAM, PING, GOAWAY or SYN_STREAM
   * @param id the stream id; the ping id; the last good stream id of GOAWAY
   * @param last whether FIN is set
   * @param headers the header block of SYN_STREAM and SYN_REPLY
   * @param data the payload of DATA
   * @param status the status code of RST_STREAM and GOAWAY
   */
  record Frame(String type, int id, boolean last, Map<String, List<String>> headers, String data, int status) {

    static Frame reply(int id, String streamType) {
      return new Frame("SYN_REPLY", id, false, Map.of("streamtype", List.of(streamType)), "", 0);
    }

    static Frame data(int id, String text, boolean fin) {
      return new Frame("DATA", id, fin, Map.of(), text, 0);
    }

    static Frame rst(int id, int status) {
      return new Frame("RST_STREAM", id, false, Map.of(), "", status);
    }

    static Frame goAway(int lastGood) {
      return new Frame("GOAWAY", lastGood, false, Map.of(), "", 0);
    }

    static Frame of(Object f) {
      if (f instanceof SpdyDataFrame d) {
        return data(d.streamId(), new String(ByteBufUtil.getBytes(d.content()), StandardCharsets.UTF_8), d.isLast());
      }
      if (f instanceof SpdySynReplyFrame r) {
        return new Frame("SYN_REPLY", r.streamId(), r.isLast(), headers(r), "", 0);
      }
      if (f instanceof SpdySynStreamFrame s) {
        return new Frame("SYN_STREAM", s.streamId(), s.isLast(), headers(s), "", 0);
      }
      if (f instanceof SpdyRstStreamFrame r) {
        return rst(r.streamId(), r.status().code());
      }
      if (f instanceof SpdyPingFrame p) {
        return new Frame("PING", p.id(), false, Map.of(), "", 0);
      }
      if (f instanceof SpdyGoAwayFrame g) {
        return new Frame("GOAWAY", g.lastGoodStreamId(), false, Map.of(), "", g.status().code());
      }
      return new Frame(f.getClass().getSimpleName(), 0, false, Map.of(), "", 0);
    }

    private static Map<String, List<String>> headers(SpdyHeadersFrame frame) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (Map.Entry<CharSequence, CharSequence> e : frame.headers()) {
        out.computeIfAbsent(e.getKey().toString(), k -> new ArrayList<>()).add(e.getValue().toString());
      }
      return out;
    }
  }

  /** Sends a request with {@code headers} (values in order) and waits for the answer. */
  Answer request(HttpMethod method, String uri, Map<String, List<String>> headers) {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
    req.headers().add("Host", "127.0.0.1:10010");
    headers.forEach((name, values) -> req.headers().add(name, values));
    channel.writeAndFlush(req);
    return scheduler.await(answer);
  }

  /** Sends a SPDY frame, only after a {@code 101}, and runs what it causes without letting time pass. */
  void send(SpdyFrame frame) {
    var written = channel.writeAndFlush(frame);
    if (written.cause() != null) {
      throw new IllegalStateException("writing " + frame + " failed", written.cause());
    }
    // Runs what is due now only: running until idle would let the server's stream timeout pass.
    scheduler.advance(Duration.ZERO);
  }

  /** The frames received since the last call. */
  List<Frame> frames() {
    List<Frame> out = List.copyOf(frames);
    frames.clear();
    return out;
  }

  /** Completes when the connection has closed. */
  CompletableFuture<Void> closed() {
    return closed;
  }

  /** Hangs up, and runs what that causes without letting time pass. */
  void close() {
    channel.close();
    scheduler.advance(Duration.ZERO);
  }

  /** Whether the connection is open. */
  boolean isOpen() {
    return channel.isOpen();
  }

  private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
      List<String> lines = new ArrayList<>();
      res.headers().forEach(e -> lines.add(e.getKey() + ": " + e.getValue()));
      answer.complete(new Answer(res.status().code(), lines, res.content().toString(StandardCharsets.UTF_8)));
      if (res.status().code() == 101) {
        ctx.pipeline().addAfter("http", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1, 1 << 24, 16 * 1024, 6, 15,
            8));
        ctx.pipeline().addAfter("spdy", "frames", new Recorder());
        ctx.pipeline().remove("aggregate");
        ctx.pipeline().remove(this);
        ctx.pipeline().remove("http");
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed.complete(null);
      ctx.fireChannelInactive();
    }
  }

  private final class Recorder extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        frames.add(Frame.of(msg));
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed.complete(null);
    }
  }
}
