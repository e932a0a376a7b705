package io.execsim.core.spdy;

import io.execsim.core.error.GoError;
import io.execsim.core.net.SimChannel;
import io.execsim.core.sched.Scheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SPDY/3.1 connection, run as moby/spdystream runs it under Kubernetes' {@code httpstream/spdy}: the client opens
 * odd streams and the server even ones; a stream is usable once replied to; DATA flows without flow control (no
 * WINDOW_UPDATE is sent, SETTINGS are ignored); a PING of the peer's parity is echoed with its id; GOAWAY stops new
 * streams. Netty's {@code SpdySessionHandler} is not used: it queues DATA past 64 KiB forever against a peer that never
 * sends WINDOW_UPDATE, as kubectl's library does not.
 *
 * <p>Put {@link #newCodec()} and then {@link #handler()} into the pipeline of an upgraded connection, one codec for the
 * connection's whole life (its zlib context spans the connection). Everything runs on the simulation's thread: the
 * handler, and every method of this class and of {@link SpdyStream}.
 *
 * <p>{@link #close()} resets every stream this side has not finished, sends GOAWAY last, after all DATA and FINs
 * already written, unless one was sent or received before, and closes the channel. A GOAWAY from the peer makes the
 * session ignore new streams and close the channel once every stream is done with, as spdystream's shutdown does.
 * When the connection ends, every stream's source ends.
 *
 * <p>Simplified: streams are reset in the order of their ids (Go walks a map); {@link #close()} also resets streams
 * that never got their reply, which client-go leaves to spdystream, whose shutdown then never closes the socket; and
 * frames behind a GOAWAY are still read, where spdystream's worker goroutines may lose them in a race.
 */
public final class SpdySession {
  /** The largest DATA payload sent in one frame: the 32 KiB of the {@code io.Copy} buffer behind each Go write. */
  public static final int MAX_DATA_FRAME = 32 * 1024;

  private static final Logger log = LoggerFactory.getLogger(SpdySession.class);
  private static final int MAX_HEADER_BLOCK = 16 * 1024;

  private final Scheduler scheduler;
  private final boolean client;
  private final Consumer<SpdyStream> onStream;
  private final Handler handler = new Handler();
  private final TreeMap<Integer, SpdyStream> streams = new TreeMap<>();
  private final Map<Integer, CompletableFuture<Void>> pings = new HashMap<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private @Nullable ChannelHandlerContext ctx;
  private int nextStreamId;
  private int nextPeerStreamId;
  private int nextPingId;
  private boolean goneAway;

  private SpdySession(Scheduler scheduler, boolean client, Consumer<SpdyStream> onStream) {
    this.scheduler = scheduler;
    this.client = client;
    this.onStream = onStream;
    this.nextStreamId = client ? 1 : 2;
    this.nextPeerStreamId = client ? 2 : 1;
    this.nextPingId = client ? 1 : 2;
  }

  /** The client end of a connection; {@code onStream} gets each stream the server opens. */
  public static SpdySession newClient(Scheduler scheduler, Consumer<SpdyStream> onStream) {
    return new SpdySession(scheduler, true, onStream);
  }

  /** The server end of a connection; {@code onStream} gets each stream the client opens and replies to it. */
  public static SpdySession newServer(Scheduler scheduler, Consumer<SpdyStream> onStream) {
    return new SpdySession(scheduler, false, onStream);
  }

  /** A SPDY/3.1 frame codec that reads DATA in chunks of up to {@link #MAX_DATA_FRAME} bytes. */
  public static SpdyFrameCodec newCodec() {
    return new SpdyFrameCodec(SpdyVersion.SPDY_3_1, MAX_DATA_FRAME, MAX_HEADER_BLOCK, 6, 15, 8);
  }

  /** The handler to put right after the codec. */
  public ChannelHandler handler() {
    return handler;
  }

  /** Whether this is the client end. */
  public boolean isClient() {
    return client;
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return ctx != null && ctx.channel().isActive();
  }

  /** Whether a GOAWAY was sent or received. */
  public boolean isGoneAway() {
    return goneAway;
  }

  /** Completes once the channel has closed. */
  public CompletionStage<Void> closed() {
    return closed;
  }

  /** The streams not yet done with, lowest id first. */
  public List<SpdyStream> streams() {
    return streams.values().stream().filter(s -> !s.isDone()).toList();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Opens a stream with SYN_STREAM; header names go out in lower case. The stream is usable for reading once
   * {@link SpdyStream#replied()} completes: DATA that arrives before the reply is dropped, as spdystream drops it.
   */
  public SpdyStream open(Map<String, String> headers) {
    int id = nextStreamId;
    nextStreamId += 2;
    Map<String, List<String>> lower = new LinkedHashMap<>();
    headers.forEach((name, value) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
        .add(value));
    SpdyStream stream = new SpdyStream(this, id, true, lower);
    streams.put(id, stream);
    SpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    lower.forEach((name, values) -> frame.headers().add(name, values));
    send(frame);
    return stream;
  }

  /**
   * Sends a PING with this side's next id (odd for the client, even for the server). Completes when the peer echoes
   * it; fails with {@code connection closed} when the connection ends first.
   */
  public CompletionStage<Void> ping() {
    int id = nextPingId;
    nextPingId = nextPingId > 0x7ffffffe ? nextPingId - 0x7ffffffe : nextPingId + 2;
    CompletableFuture<Void> echoed = new CompletableFuture<>();
    if (!isOpen()) {
      echoed.completeExceptionally(GoError.of("connection closed"));
      return echoed;
    }
    pings.put(id, echoed);
    send(new DefaultSpdyPingFrame(id));
    return echoed;
  }

  /**
   * Sends GOAWAY(OK) naming the last stream the peer opened, unless a GOAWAY was sent or received already; the
   * channel closes once every stream is done with.
   */
  public void goAway() {
    if (goneAway) {
      return;
    }
    goneAway = true;
    int lastGood = nextPeerStreamId > 2 ? nextPeerStreamId - 2 : 0;
    send(new DefaultSpdyGoAwayFrame(lastGood, SpdySessionStatus.OK));
    streamChanged();
  }

  /** Resets every stream not finished by this side, sends GOAWAY unless one went either way, and closes the channel. */
  public void close() {
    for (SpdyStream s : new ArrayList<>(streams.values())) {
      if (!s.isDone()) {
        s.reset();
      }
    }
    goAway();
    closeChannel();
  }

  void sendReply(int id, Map<String, String> headers) {
    SpdySynReplyFrame frame = new DefaultSpdySynReplyFrame(id);
    headers.forEach((name, value) -> frame.headers().add(name.toLowerCase(Locale.ROOT), value));
    send(frame);
  }

  void sendReset(int id) {
    send(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
  }

  void sendData(int id, byte[] data, int offset, int length, boolean fin) {
    SpdyDataFrame frame = new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data, offset, length));
    frame.setLast(fin);
    send(frame);
  }

  /** A stream changed state; after a GOAWAY the channel closes once no stream is left, as spdystream's shutdown. */
  void streamChanged() {
    streams.values().removeIf(SpdyStream::isDone);
    if (goneAway && streams.isEmpty()) {
      closeChannel();
    }
  }

  static GoError closedConnection() {
    return GoError.of("use of closed network connection");
  }

  private void send(SpdyFrame frame) {
    ChannelHandlerContext c = ctx;
    if (c == null || !c.channel().isActive()) {
      log.trace("{} dropped on a closed connection: {}", label(), frame);
      ReferenceCountUtil.release(frame);
      return;
    }
    log.trace("{} sent {}", label(), frame);
    c.writeAndFlush(frame);
  }

  private void closeChannel() {
    ChannelHandlerContext c = ctx;
    if (c != null && c.channel().isOpen()) {
      c.channel().close();
    }
  }

  private String label() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return client ? "spdy-client" : "spdy-server";
    }
    return c.channel() instanceof SimChannel sim ? sim.link().name() : c.channel().toString();
  }

  private void onFrame(Object msg) {
    log.trace("{} received {}", label(), msg);
    if (msg instanceof SpdyDataFrame data) {
      onData(data);
    } else if (msg instanceof SpdySynStreamFrame syn) {
      onSynStream(syn);
    } else if (msg instanceof SpdySynReplyFrame reply) {
      SpdyStream s = streams.get(reply.streamId());
      if (s != null && s.isLocal()) {
        s.onReply(reply.isLast());
        streamChanged();
      }
    } else if (msg instanceof SpdyRstStreamFrame rst) {
      SpdyStream s = streams.get(rst.streamId());
      if (s != null) {
        s.onReset();
        streamChanged();
      }
    } else if (msg instanceof SpdyPingFrame ping) {
      onPing(ping.id());
    } else if (msg instanceof SpdyGoAwayFrame) {
      goneAway = true;
      streamChanged();
    }
    // SETTINGS, WINDOW_UPDATE and HEADERS change nothing here, as in spdystream.
  }

  private void onData(SpdyDataFrame frame) {
    SpdyStream s = streams.get(frame.streamId());
    // spdystream drops DATA, even a FIN, for a stream it does not know or has no reply for yet.
    if (s == null || !s.isReplied()) {
      log.trace("{} dropped DATA for stream {}: unknown or not replied", label(), frame.streamId());
      return;
    }
    byte[] data = new byte[frame.content().readableBytes()];
    frame.content().readBytes(data);
    s.onData(data, frame.isLast());
    streamChanged();
  }

  private void onSynStream(SpdySynStreamFrame frame) {
    if (goneAway) {
      return;
    }
    int id = frame.streamId();
    // spdystream: an id below the next expected one is a protocol error, answered with RST_STREAM.
    if (id < nextPeerStreamId) {
      send(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    nextPeerStreamId = id + 2;
    SpdyStream stream = new SpdyStream(this, id, false, headersOf(frame));
    streams.put(id, stream);
    if (frame.isUnidirectional()) {
      stream.finishLocally();
    }
    if (frame.isLast()) {
      stream.onOpenedFinished();
    }
    onStream.accept(stream);
  }

  private static Map<String, List<String>> headersOf(SpdyHeadersFrame frame) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    SpdyHeaders h = frame.headers();
    for (CharSequence name : h.names()) {
      String lower = name.toString().toLowerCase(Locale.ROOT);
      for (String value : h.getAllAsString(name)) {
        out.computeIfAbsent(lower, n -> new ArrayList<>()).add(value);
      }
    }
    return out;
  }

  private void onPing(int id) {
    // A ping of the peer's parity is the peer's: echo it. One of ours is the echo of a ping we sent.
    if ((id & 1) != (nextPingId & 1)) {
      send(new DefaultSpdyPingFrame(id));
      return;
    }
    CompletableFuture<Void> echoed = pings.remove(id);
    if (echoed != null) {
      echoed.complete(null);
    }
  }

  private void onConnectionEnd() {
    for (SpdyStream s : streams.values()) {
      s.onConnectionEnd();
    }
    List<CompletableFuture<Void>> waiting = new ArrayList<>(pings.values());
    pings.clear();
    waiting.forEach(p -> p.completeExceptionally(GoError.of("connection closed")));
    closed.complete(null);
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      if (ctx != null) {
        throw new IllegalStateException("a session serves one connection: " + label());
      }
      ctx = context;
      if (!context.channel().isOpen()) {
        onConnectionEnd();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
      try {
        onFrame(msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      log.debug("{} connection closed", label());
      onConnectionEnd();
      context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      // The codec discards everything after a bad frame, so the read loop is over, as spdystream's Serve would be.
      log.debug("{} frame read error: {}", label(), cause.toString());
      for (SpdyStream s : streams.values()) {
        s.onConnectionEnd();
      }
    }
  }
}
