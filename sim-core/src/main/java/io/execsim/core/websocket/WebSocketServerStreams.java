package io.execsim.core.websocket;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.remotecommand.StreamProtocol.StreamType;
import io.execsim.core.remotecommand.TerminalSizeChannel;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.Scheduler.Cancellable;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one exec on an upgraded WebSocket connection, server side, as wsstream's {@code Conn} serves them:
 * channel 0 (stdin) and 4 (resize) are read, 1 (stdout), 2 (stderr) and 3 (error) written, each requested one a
 * stream of its own. A message for a channel past 4 is dropped; one for a channel this side does not read is
 * discarded.
 *
 * <p>The read loop ends, and the connection closes (close frame 1000 where it can still be written), when the client
 * closes, sends a pong (x/net does not implement them), sends a frame Netty cannot decode, sends a malformed close
 * signal, or stays silent past the idle deadline; stdin then reads end of stream and the resize queue ends. Writes
 * after that fail with Go's {@code use of closed network connection}. After a resize message that is not valid JSON
 * the resize queue ends and the next resize message blocks the read loop for good, as it blocks on an unread
 * {@code io.Pipe} in the real server: nothing the client sends is read any more, until {@link #close()}.
 *
 * <p>All methods run on the simulation's scheduler thread. Writes are never held back: the link has no flow control.
 */
public final class WebSocketServerStreams {
  private static final Logger log = LoggerFactory.getLogger(WebSocketServerStreams.class);

  /** wsstream makes one channel per stream type; a channel number at or past this is out of range. */
  private static final int CHANNEL_COUNT = StreamType.values().length;
  private static final int STDIN = StreamType.STDIN.channel();
  private static final int STDOUT = StreamType.STDOUT.channel();
  private static final int STDERR = StreamType.STDERR.channel();
  private static final int ERROR = StreamType.ERROR.channel();
  private static final int RESIZE = StreamType.RESIZE.channel();

  private final Scheduler scheduler;
  private final Channel channel;
  private final ChannelProtocol protocol;
  private final RequestedStreams requested;
  private final Duration idleTimeout;
  private final String id;
  private final @Nullable ByteSink stdinWriter;
  private final Optional<ByteSource> stdin;
  private final Optional<ByteSink> stdout;
  private final Optional<ByteSink> stderr;
  private final TerminalSizeChannel resize;
  private final ResizeDecoder resizeDecoder = new ResizeDecoder();
  private final boolean[] pipeClosed = new boolean[CHANNEL_COUNT];
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final FrameHandler handler = new FrameHandler();
  private @Nullable ChannelHandlerContext context;
  private @Nullable Cancellable idleTimer;
  private boolean readLoopEnded;
  private boolean stalled;
  private boolean connectionClosed;

  WebSocketServerStreams(Scheduler scheduler, Channel channel, ChannelProtocol protocol, RequestedStreams requested,
      Duration idleTimeout) {
    this.scheduler = scheduler;
    this.resize = new TerminalSizeChannel(scheduler);
    this.channel = channel;
    this.protocol = protocol;
    this.requested = requested;
    this.idleTimeout = idleTimeout;
    this.id = NetTexts.id(channel);
    if (requested.stdin()) {
      Pipe pipe = new Pipe(scheduler);
      this.stdin = Optional.of(pipe.openReader());
      this.stdinWriter = pipe.openWriter();
    } else {
      this.stdin = Optional.empty();
      this.stdinWriter = null;
    }
    this.stdout = requested.stdout() ? Optional.of(new ChannelSink(STDOUT)) : Optional.empty();
    this.stderr = requested.stderr() ? Optional.of(new ChannelSink(STDERR)) : Optional.empty();
  }

  /** The negotiated subprotocol. */
  public ChannelProtocol protocol() {
    return protocol;
  }

  /** The streams the request asked for. */
  public RequestedStreams requested() {
    return requested;
  }

  /** What the client sends on channel 0, if stdin was requested; end of stream at the close signal or the end. */
  public Optional<ByteSource> stdin() {
    return stdin;
  }

  /** Channel 1, if stdout was requested: one message per write; closing it sends nothing, as in wsstream. */
  public Optional<ByteSink> stdout() {
    return stdout;
  }

  /** Channel 2, if stderr was requested: one message per write; closing it sends nothing, as in wsstream. */
  public Optional<ByteSink> stderr() {
    return stderr;
  }

  /** The sizes the client sends on channel 4; ends when the channel closes, the loop ends, or JSON is bad. */
  public TerminalSizeQueue resize() {
    return resize;
  }

  /**
   * Writes the result on channel 3: the JSON status under v4 and v5; under v1 and no subprotocol the status message
   * of a failure, and nothing on success.
   */
  public CompletionStage<Void> writeStatus(RemoteCommandStatus status) {
    if (protocol.hasJsonStatus()) {
      return send(ERROR, status.toJson());
    }
    if (status.status().equals(RemoteCommandStatus.SUCCESS)) {
      return CompletableFuture.completedFuture(null);
    }
    return send(ERROR, status.message().getBytes(StandardCharsets.UTF_8));
  }

  /** Closes the streams, sends close frame 1000 and closes the connection, as wsstream's {@code Close}. */
  public void close() {
    shutdown(true);
  }

  /** Completes once the connection is closed, by either side or by the idle deadline. */
  public CompletionStage<Void> closed() {
    return closed.copy();
  }

  ChannelHandler handler() {
    return handler;
  }

  /** Starts the idle deadline and sends the readiness message: empty, on the lowest channel written. */
  void start() {
    resetIdleDeadline();
    int ready = requested.stdout() ? STDOUT : requested.stderr() ? STDERR : ERROR;
    send(ready, new byte[0]);
  }

  private CompletionStage<Void> send(int streamChannel, byte[] data) {
    ChannelHandlerContext ctx = context;
    if (connectionClosed || ctx == null || !channel.isActive()) {
      return CompletableFuture.failedFuture(NetTexts.writeOnClosed(channel));
    }
    // x/net: every write pushes the connection's deadline forward
    resetIdleDeadline();
    WebSocketFrame frame;
    if (protocol.isBase64()) {
      frame = new TextWebSocketFrame((char) ('0' + streamChannel) + Base64.getEncoder().encodeToString(data));
    } else {
      byte[] message = new byte[data.length + 1];
      message[0] = (byte) streamChannel;
      System.arraycopy(data, 0, message, 1, data.length);
      frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message));
    }
    log.trace("{} sent {} bytes on channel {}", id, data.length, streamChannel);
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.writeAndFlush(frame).addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(NetTexts.writeOnClosed(channel));
      }
    });
    return done;
  }

  private void onFrame(WebSocketFrame frame) {
    if (readLoopEnded || stalled) {
      return;
    }
    if (frame instanceof CloseWebSocketFrame close) {
      log.debug("{} client sent close {}", id, close.statusCode());
      shutdown(true);
      return;
    }
    if (frame instanceof PingWebSocketFrame) {
      // x/net answers a ping at once; the answer does not push the deadline
      ChannelHandlerContext ctx = context;
      if (!connectionClosed && ctx != null) {
        ctx.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(frame.content()))));
      }
      return;
    }
    if (frame instanceof PongWebSocketFrame) {
      // x/net's frame handler does not implement pongs: the receive fails and the loop ends
      log.warn("{} error on socket receive: not implemented", id);
      shutdown(true);
      return;
    }
    // x/net returns every data frame as a message of its own, continuations included, text frames alike
    byte[] data = ByteBufUtil.getBytes(frame.content());
    log.trace("{} received a frame of {} bytes", id, data.length);
    resetIdleDeadline();
    onMessage(data);
  }

  private void onMessage(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int first = data[0] & 0xff;
    if (protocol.hasCloseSignal() && first == StreamProtocol.CLOSE_SIGNAL) {
      // wsstream handle: exactly one channel byte follows the close signal, else the loop ends
      if (data.length != 2) {
        log.warn("{} single channel byte should follow stream close signal, got {} bytes", id, data.length - 1);
        shutdown(true);
        return;
      }
      int target = data[1] & 0xff;
      if (target >= CHANNEL_COUNT) {
        log.warn("{} close is targeted for a channel {} that is not valid, possible protocol error", id, target);
        shutdown(true);
        return;
      }
      log.debug("{} client closed channel {}", id, target);
      closePipe(target);
      return;
    }
    int streamChannel = protocol.isBase64() ? (first - '0') & 0xff : first;
    if (streamChannel >= CHANNEL_COUNT) {
      log.trace("{} frame is targeted for a reader {} that is not valid, possible protocol error", id, streamChannel);
      return;
    }
    byte[] payload = new byte[data.length - 1];
    System.arraycopy(data, 1, payload, 0, payload.length);
    deliver(streamChannel, payload);
  }

  private void deliver(int streamChannel, byte[] raw) {
    // wsstream DataFromSocket: a channel this side does not read swallows the data
    if (!(streamChannel == STDIN && requested.stdin() || streamChannel == RESIZE)) {
      log.trace("{} discarded {} bytes for write-only channel {}", id, raw.length, streamChannel);
      return;
    }
    byte[] payload = raw;
    if (protocol.isBase64()) {
      Optional<byte[]> decoded = decodeBase64(raw);
      if (decoded.isEmpty()) {
        log.warn("{} unable to write frame to {}: illegal base64 data: {}", id, streamChannel,
            GoText.quote(new String(raw, StandardCharsets.ISO_8859_1)));
        return;
      }
      payload = decoded.get();
    }
    if (pipeClosed[streamChannel]) {
      log.warn("{} unable to write frame to {}: io: read/write on closed pipe", id, streamChannel);
      return;
    }
    if (streamChannel == STDIN) {
      ByteSink writer = stdinWriter;
      if (writer != null) {
        writer.write(payload).whenComplete((ok, e) -> {
          if (e != null) {
            log.warn("{} unable to write frame to {}: {}", id, streamChannel, GoError.from(e).text());
          }
        });
      }
      return;
    }
    if (resizeDecoder.failure().isPresent()) {
      // Nobody reads the resize pipe any more: the write blocks the read loop until the server closes.
      log.warn("{} resize stream no longer read; the read loop blocks until the server closes", id);
      stalled = true;
      cancelIdleDeadline();
      return;
    }
    for (TerminalSize size : resizeDecoder.feed(payload)) {
      resize.offer(size);
    }
    resizeDecoder.failure().ifPresent(e -> {
      log.debug("{} resize decoding ended: {}", id, e.text());
      resize.end();
    });
  }

  private static Optional<byte[]> decodeBase64(byte[] raw) {
    // Go's StdEncoding skips CR and LF and insists on padding
    String text = new String(raw, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "");
    if (text.length() % 4 != 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void closePipe(int streamChannel) {
    pipeClosed[streamChannel] = true;
    if (streamChannel == STDIN && stdinWriter != null) {
      stdinWriter.close();
    } else if (streamChannel == RESIZE) {
      resize.end();
    }
  }

  private void onException(Throwable cause) {
    if (readLoopEnded || stalled) {
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      log.warn("{} error on socket receive: {}", id, corrupt.getMessage());
      // x/net answers an unmasked client frame with close 1002 before the loop's own close
      ChannelHandlerContext ctx = context;
      if (corrupt.closeStatus().equals(WebSocketCloseStatus.PROTOCOL_ERROR) && ctx != null && channel.isActive()
          && String.valueOf(corrupt.getMessage()).contains("not masked")) {
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR.code(), ""));
      }
      // TODO: x/net reads reserved opcodes and stray continuations as data; Netty's decoder rejects them here.
      shutdown(true);
      return;
    }
    log.warn("{} pipeline failed; closing the connection", id, cause);
    shutdown(true);
  }

  private void onInactive() {
    if (stalled) {
      // the blocked loop does not see the connection go: the pipes stay open until close()
      connectionClosed = true;
      cancelIdleDeadline();
      closed.complete(null);
      return;
    }
    shutdown(false);
  }

  private void onIdleDeadline() {
    idleTimer = null;
    if (stalled || readLoopEnded) {
      return;
    }
    // the deadline fails the read and the close frame write alike
    log.debug("{} idle for {}; the read fails with i/o timeout", id, GoText.duration(idleTimeout));
    shutdown(false);
  }

  private void shutdown(boolean sendClose) {
    if (!readLoopEnded) {
      readLoopEnded = true;
      for (int c = 0; c < CHANNEL_COUNT; c++) {
        if (!pipeClosed[c]) {
          closePipe(c);
        }
      }
    }
    cancelIdleDeadline();
    if (!connectionClosed) {
      connectionClosed = true;
      ChannelHandlerContext ctx = context;
      if (sendClose && ctx != null && channel.isActive()) {
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE.code(), ""));
      }
      channel.close();
      log.debug("{} closed", id);
    }
    closed.complete(null);
  }

  private void resetIdleDeadline() {
    if (idleTimeout.isZero() || readLoopEnded || stalled) {
      return;
    }
    cancelIdleDeadline();
    idleTimer = scheduler.schedule(idleTimeout, this::onIdleDeadline);
  }

  private void cancelIdleDeadline() {
    Cancellable timer = idleTimer;
    if (timer != null) {
      timer.cancel();
      idleTimer = null;
    }
  }

  /** One written channel as a sink. */
  private final class ChannelSink implements ByteSink {
    private final int streamChannel;

    ChannelSink(int streamChannel) {
      this.streamChannel = streamChannel;
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      return send(streamChannel, data);
    }

    @Override
    public void close() {
      // wsstream closes only the channel's internal pipe; nothing goes on the wire
    }
  }

  /** Takes the frames of the connection off the pipeline. */
  private final class FrameHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof WebSocketFrame frame)) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        onFrame(frame);
      } finally {
        frame.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      onException(cause);
    }
  }
}
