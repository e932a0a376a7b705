package io.execsim.core.websocket;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.Streams;
import io.execsim.core.net.Network;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.remotecommand.StatusError;
import io.execsim.core.remotecommand.StreamOptions;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.remotecommand.StreamProtocol.StreamType;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.remotecommand.UpgradeFailureError;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.Scheduler.Cancellable;
import io.execsim.core.sched.SimRandom;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@link WebSocketExecutor}: the gorilla dial and handshake, client-go's round tripper checks, then the
 * v5 stream protocol (v4's, which is v3's and v2's) and the read demultiplexer with its heartbeat. The demultiplexer
 * hands one message at a time to its stream and waits until the local sink took it, as the {@code io.Pipe} between
 * them makes client-go wait. Everything runs on the scheduler thread.
 */
final class WebSocketClientExec {
  private static final Logger log = LoggerFactory.getLogger(WebSocketClientExec.class);

  /** io.Copy's buffer, and client-go's WebSocket data buffer. */
  private static final int COPY_BUFFER = 32 * 1024;
  /** What gorilla reads of a failed handshake's body. */
  private static final int BAD_HANDSHAKE_BODY = 1024;
  private static final int STREAM_COUNT = StreamType.values().length;
  private static final int STDIN = StreamType.STDIN.channel();
  private static final int STDOUT = StreamType.STDOUT.channel();
  private static final int STDERR = StreamType.STDERR.channel();
  private static final int ERROR = StreamType.ERROR.channel();
  private static final int RESIZE = StreamType.RESIZE.channel();
  /** Headers gorilla sets itself and refuses from the caller, in Go's canonical spelling. */
  private static final Set<String> GORILLA_HEADERS = Set.of("Upgrade", "Connection", "Sec-Websocket-Key",
      "Sec-Websocket-Version", "Sec-Websocket-Extensions");
  private static final String PROTOCOL_HEADER = "Sec-Websocket-Protocol";
  private static final String CODEC_NAME = "http";
  private static final String HANDLER_NAME = "execsim-ws-client";
  private static final String DECODER_NAME = "ws-decoder";
  private static final String AGGREGATOR_NAME = "ws-aggregator";

  private final Network network;
  private final Scheduler scheduler;
  private final String clientName;
  private final ExecTarget target;
  private final SimRandom random;
  private final StreamOptions options;
  private final CompletableFuture<Void> result = new CompletableFuture<>();
  private final boolean[] streams = new boolean[STREAM_COUNT];
  private final ByteArrayOutputStream errorStream = new ByteArrayOutputStream();
  private final ByteArrayOutputStream badHandshakeBody = new ByteArrayOutputStream();
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private @Nullable Channel channel;
  private String id;
  private @Nullable SeededClientHandshaker handshaker;
  private @Nullable HttpResponse response;
  private boolean responseHandled;
  private boolean upgraded;
  private boolean readEnded;
  private boolean busy;
  private boolean finished;
  private boolean closeSent;
  private boolean stdinClosed;
  private boolean stdoutFailed;
  private boolean stderrFailed;
  private @Nullable Cancellable pingTimer;
  private @Nullable Cancellable readDeadline;

  WebSocketClientExec(Network network, String clientName, ExecTarget target, SimRandom random,
      StreamOptions options) {
    this.network = network;
    this.scheduler = network.scheduler();
    this.clientName = clientName;
    this.target = target;
    this.random = random;
    this.options = options;
    this.id = clientName + "->" + target.address();
  }

  CompletionStage<Void> start() {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.HOST, target.host());
    for (Map.Entry<String, List<String>> h : target.headers().entrySet()) {
      String name = canonicalKey(h.getKey());
      // gorilla refuses the headers it writes itself; client-go has already taken the protocol header off
      if (GORILLA_HEADERS.contains(name)) {
        result.completeExceptionally(GoError.of("websocket: duplicate header not allowed: " + name));
        return result.copy();
      }
      if (name.equals(PROTOCOL_HEADER)) {
        continue;
      }
      headers.remove(name);
      for (String v : h.getValue()) {
        headers.add(name, v);
      }
    }
    handshaker = new SeededClientHandshaker(URI.create("ws://" + target.host() + target.pathAndQuery()), headers,
        random);
    network.dial(clientName, target.address(), ch -> ch.pipeline()
            .addLast(CODEC_NAME, new HttpClientCodec())
            .addLast(HANDLER_NAME, new Handler()))
        .whenComplete((ch, e) -> {
          if (e != null) {
            failWith(e);
          } else {
            onConnected(ch);
          }
        });
    return result.copy();
  }

  private void onConnected(Channel ch) {
    channel = ch;
    id = NetTexts.id(ch);
    log.debug("{} requesting a WebSocket upgrade of {}", id, target.pathAndQuery());
    handshaker().handshake(ch).addListener(f -> {
      if (!f.isSuccess()) {
        fail(NetTexts.writeOnClosed(ch));
      }
    });
  }

  // ---- handshake, as gorilla's DialContext and client-go's RoundTrip check it

  private void onHandshakeMessage(Object msg) {
    if (responseHandled) {
      return;
    }
    if (msg instanceof HttpResponse r) {
      if (r.decoderResult().isFailure()) {
        // TODO: Go's http.ReadResponse words each kind of malformed response differently.
        failAndClose(GoError.of("malformed HTTP response"));
        return;
      }
      response = r;
    }
    if (msg instanceof HttpContent c) {
      int room = BAD_HANDSHAKE_BODY - badHandshakeBody.size();
      if (room > 0) {
        byte[] bytes = ByteBufUtil.getBytes(c.content(), c.content().readerIndex(),
            Math.min(room, c.content().readableBytes()));
        badHandshakeBody.writeBytes(bytes);
      }
      if (msg instanceof LastHttpContent || badHandshakeBody.size() >= BAD_HANDSHAKE_BODY) {
        onResponse();
      }
    }
  }

  private void onResponse() {
    responseHandled = true;
    HttpResponse r = response;
    Channel ch = channel;
    if (r == null || ch == null) {
      failAndClose(GoError.of("unexpected EOF"));
      return;
    }
    HttpHeaders h = r.headers();
    boolean switched = r.status().code() == 101
        && containsToken(h, HttpHeaderNames.UPGRADE.toString(), "websocket")
        && containsToken(h, HttpHeaderNames.CONNECTION.toString(), "upgrade")
        && handshaker().expectedAccept().equals(h.get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT));
    if (!switched) {
      failAndClose(new UpgradeFailureError(badHandshake(r)));
      return;
    }
    // client-go: the server must select a protocol the client offered
    String selected = h.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
    if (!selected.equals(StreamProtocol.V5)) {
      failAndClose(new UpgradeFailureError(GoError.of("invalid protocol, expected one of ["
          + GoText.quote(StreamProtocol.V5) + "], got " + GoText.quote(selected))));
      return;
    }
    try {
      handshaker().finishHandshake(ch, new DefaultFullHttpResponse(r.protocolVersion(), r.status(),
          Unpooled.EMPTY_BUFFER, h, EmptyHttpHeaders.INSTANCE));
    } catch (RuntimeException e) {
      failAndClose(GoError.of("websocket: " + e.getMessage()));
      return;
    }
    ch.pipeline().addAfter(DECODER_NAME, AGGREGATOR_NAME, new WebSocketFrameAggregator(Integer.MAX_VALUE));
    upgraded = true;
    log.debug("{} upgraded, subprotocol {}", id, selected);
    startStreams();
  }

  private GoError badHandshake(HttpResponse r) {
    // roundtripper.go: gorilla's error, the status, then a Status body as StatusError or any other body as text
    String cause = "websocket: bad handshake (" + r.status().code() + " " + r.status().reasonPhrase() + ")";
    byte[] body = badHandshakeBody.toByteArray();
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return GoError.of(cause);
    }
    // apimachinery's universal decoder: a Status body becomes a StatusError cause
    return RemoteCommandStatus.fromUpgradeResponse(body)
        .<GoError>map(StatusError::new)
        .orElseGet(() -> GoError.of(cause + ": " + text));
  }

  /** gorilla's tokenListContainsValue: any comma-separated token of any value, case-insensitively. */
  private static boolean containsToken(HttpHeaders headers, String name, String token) {
    for (String value : headers.getAll(name)) {
      for (String t : value.split(",")) {
        if (t.strip().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Go's {@code textproto.CanonicalMIMEHeaderKey} for plain ASCII names. */
  private static String canonicalKey(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  // ---- streams, as v2.go to v5.go set them up

  private void startStreams() {
    // createStreams: error, stdin, stdout, stderr without a terminal, resize with one; nothing goes on the wire
    streams[ERROR] = true;
    streams[STDIN] = options.stdin().isPresent();
    streams[STDOUT] = options.stdout().isPresent();
    streams[STDERR] = options.stderr().isPresent() && !options.tty();
    streams[RESIZE] = options.tty();

    // readDemuxLoop: the first read deadline, then the heartbeat
    armReadDeadline();
    pingTimer = scheduler.schedule(WebSocketExecutor.PING_PERIOD, this::ping);

    if (streams[RESIZE]) {
      options.resize().ifPresent(this::nextResize);
    }
    options.stdin().ifPresent(in -> Streams.copy(in, new StreamSink(STDIN), COPY_BUFFER).whenComplete((n, e) -> {
      if (e != null) {
        log.debug("{} copying stdin ended: {}", id, e.toString());
      }
      closeRemoteStdin();
    }));
  }

  private void closeRemoteStdin() {
    if (stdinClosed) {
      return;
    }
    stdinClosed = true;
    // v5: the close signal half-closes the remote stdin
    send(new byte[] {(byte) StreamProtocol.CLOSE_SIGNAL, (byte) STDIN}).whenComplete((ok, e) -> {
      if (e != null) {
        log.debug("{} close signal not sent: {}", id, e.toString());
      }
    });
  }

  private void nextResize(TerminalSizeQueue queue) {
    queue.next().whenComplete((size, e) -> {
      if (e != null || size == null || size.isEmpty() || finished) {
        return;
      }
      TerminalSize s = size.get();
      // json.Encoder of TerminalSize{Width, Height}: no tags, a newline after each value
      String json = "{\"Width\":" + s.width() + ",\"Height\":" + s.height() + "}\n";
      byte[] payload = json.getBytes(StandardCharsets.US_ASCII);
      byte[] message = new byte[payload.length + 1];
      message[0] = (byte) RESIZE;
      System.arraycopy(payload, 0, message, 1, payload.length);
      send(message).whenComplete((ok, x) -> {
        if (x != null) {
          log.debug("{} encoding terminal size failed: {}", id, x.toString());
        }
      });
      scheduler.execute(() -> nextResize(queue));
    });
  }

  private CompletionStage<Void> send(byte[] message) {
    Channel ch = channel;
    if (closeSent) {
      return CompletableFuture.failedFuture(GoError.of("websocket: close sent"));
    }
    if (ch == null || finished || !ch.isActive()) {
      return CompletableFuture.failedFuture(ch == null ? GoError.of("websocket: not connected")
          : NetTexts.writeOnClosed(ch));
    }
    log.trace("{} sent a message of {} bytes on channel {}", id, message.length - 1, message[0] & 0xff);
    CompletableFuture<Void> done = new CompletableFuture<>();
    ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message))).addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(NetTexts.writeOnClosed(ch));
      }
    });
    return done;
  }

  // ---- heartbeat

  private void ping() {
    pingTimer = null;
    Channel ch = channel;
    if (finished || readEnded || closeSent || ch == null || !ch.isActive()) {
      return;
    }
    log.trace("{} ping", id);
    ch.writeAndFlush(new PingWebSocketFrame());
    pingTimer = scheduler.schedule(WebSocketExecutor.PING_PERIOD, this::ping);
  }

  private void armReadDeadline() {
    cancel(readDeadline);
    readDeadline = scheduler.schedule(WebSocketExecutor.READ_DEADLINE, () -> {
      readDeadline = null;
      Channel ch = channel;
      if (ch != null) {
        log.debug("{} no pong for {}", id, GoText.duration(WebSocketExecutor.READ_DEADLINE));
        endRead(GoError.wrap("next reader", NetTexts.readTimeout(ch)));
      }
    });
  }

  // ---- the read demultiplexer

  private void onFrame(WebSocketFrame frame) {
    if (readEnded) {
      return;
    }
    Channel ch = channel;
    if (frame instanceof PingWebSocketFrame) {
      // gorilla's default ping handler answers at once
      if (!closeSent && ch != null && ch.isActive()) {
        ch.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(frame.content()))));
      }
      return;
    }
    if (frame instanceof PongWebSocketFrame) {
      armReadDeadline();
      return;
    }
    if (frame instanceof CloseWebSocketFrame close) {
      onClose(close.statusCode(), close.reasonText());
      return;
    }
    if (frame instanceof TextWebSocketFrame) {
      // all remote command protocols send binary messages only
      endRead(GoError.of("unexpected message type: 1"));
      return;
    }
    if (!(frame instanceof BinaryWebSocketFrame)) {
      return;
    }
    byte[] message = ByteBufUtil.getBytes(frame.content());
    if (message.length == 0) {
      endRead(GoError.of("read stream id: EOF"));
      return;
    }
    byte[] data = new byte[message.length - 1];
    System.arraycopy(message, 1, data, 0, data.length);
    log.trace("{} received {} bytes on channel {}", id, data.length, message[0] & 0xff);
    enqueue(new Data(message[0] & 0xff, data));
  }

  private void onClose(int statusCode, String text) {
    int code = statusCode < 0 ? GorillaTexts.NO_STATUS : statusCode;
    if (statusCode >= 0 && !GorillaTexts.isValidReceivedCloseCode(code)) {
      protocolError("bad close code " + code);
      return;
    }
    // gorilla's default close handler echoes the code without text; the heartbeat stops
    writeClose(code == GorillaTexts.NO_STATUS ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, ""));
    log.debug("{} server closed with {}", id, code);
    if (code == GorillaTexts.NORMAL_CLOSURE) {
      endRead(null);
    } else {
      endRead(GoError.wrap("next reader", GoError.of(GorillaTexts.closeError(code, text))));
    }
  }

  private void protocolError(String message) {
    // gorilla: close 1002 with the reason, then the error on every read
    String reason = message.length() > 123 ? message.substring(0, 123) : message;
    writeClose(new CloseWebSocketFrame(GorillaTexts.PROTOCOL_ERROR, reason));
    endRead(GoError.wrap("next reader", GoError.of("websocket: " + message)));
  }

  private void writeClose(CloseWebSocketFrame frame) {
    Channel ch = channel;
    if (!closeSent && ch != null && ch.isActive()) {
      ch.writeAndFlush(frame);
    } else {
      frame.release();
    }
    closeSent = true;
    cancel(pingTimer);
  }

  private void onException(Throwable cause) {
    if (!upgraded) {
      log.warn("{} handshake failed in the pipeline", id, cause);
      failAndClose(GoError.of("unexpected EOF"));
      return;
    }
    if (readEnded) {
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      Optional<String> text = GorillaTexts.protocolError(corrupt);
      if (text.isEmpty()) {
        onClose(-1, "");
      } else {
        protocolError(text.get());
      }
      return;
    }
    log.warn("{} read failed in the pipeline", id, cause);
    endRead(GoError.wrap("next reader", GoError.of(String.valueOf(cause.getMessage()))));
  }

  private void onInactive() {
    if (!upgraded) {
      if (!responseHandled) {
        if (response == null) {
          failAndClose(GoError.of("unexpected EOF"));
        } else {
          onResponse();
        }
      }
      return;
    }
    // no close frame: gorilla's errUnexpectedEOF
    endRead(GoError.wrap("next reader", GoError.of(
        GorillaTexts.closeError(GorillaTexts.ABNORMAL_CLOSURE, "unexpected EOF"))));
  }

  /** closeAllStreamReaders: no more messages; the streams see end of stream, or the error. */
  private void endRead(@Nullable GoError error) {
    if (readEnded) {
      return;
    }
    readEnded = true;
    cancel(readDeadline);
    cancel(pingTimer);
    enqueue(new End(Optional.ofNullable(error)));
  }

  private void enqueue(Event e) {
    events.add(e);
    pump();
  }

  private void pump() {
    while (!busy && !events.isEmpty()) {
      CompletableFuture<Void> step = process(events.poll());
      if (!step.isDone()) {
        busy = true;
        step.whenComplete((ok, e) -> {
          busy = false;
          scheduler.execute(this::pump);
        });
        return;
      }
    }
  }

  private CompletableFuture<Void> process(Event event) {
    if (event instanceof End end) {
      finish(end.error());
      return CompletableFuture.completedFuture(null);
    }
    Data d = (Data) event;
    if (d.stream() >= STREAM_COUNT || !streams[d.stream()]) {
      log.warn("{} unknown stream id {}, discarding message", id, d.stream());
      return CompletableFuture.completedFuture(null);
    }
    if (d.stream() == ERROR) {
      errorStream.writeBytes(d.data());
    } else if (d.stream() == STDOUT && !stdoutFailed) {
      return copyOut(options.stdout(), d.data(), true);
    } else if (d.stream() == STDERR && !stderrFailed) {
      return copyOut(options.stderr(), d.data(), false);
    }
    // stdin: the copy that waits for the server to close it drops what it reads
    // TODO: client-go never reads the resize stream, so a message on it blocks its loop; here it is dropped.
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<Void> copyOut(Optional<ByteSink> sink, byte[] data, boolean isStdout) {
    if (sink.isEmpty() || data.length == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return sink.get().write(data).toCompletableFuture().handle((ok, e) -> {
      if (e != null) {
        // io.Copy stops at the write error; what follows is drained and dropped
        log.warn("{} copying {} failed: {}", id, isStdout ? "stdout" : "stderr", e.toString());
        if (isStdout) {
          stdoutFailed = true;
        } else {
          stderrFailed = true;
        }
      }
      return null;
    });
  }

  private void finish(Optional<GoError> readError) {
    finished = true;
    cancel(readDeadline);
    cancel(pingTimer);
    options.stdout().ifPresent(ByteSink::close);
    options.stderr().ifPresent(ByteSink::close);
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
    if (readError.isPresent()) {
      fail(GoError.wrap("error reading from error stream", readError.get()));
      return;
    }
    // watchErrorStream: an empty error stream is success
    byte[] status = errorStream.toByteArray();
    Optional<GoError> decoded = RemoteCommandStatus.decodeErrorStream(StreamProtocol.V5, status);
    log.debug("{} streams done, status {}", id, decoded.map(GoError::text).orElse("Success"));
    if (decoded.isPresent()) {
      fail(decoded.get());
    } else {
      result.complete(null);
    }
  }

  private void failAndClose(GoError error) {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
    fail(error);
  }

  private void fail(GoError error) {
    finished = true;
    cancel(readDeadline);
    cancel(pingTimer);
    if (result.completeExceptionally(error)) {
      log.debug("{} failed: {}", id, error.text());
    }
  }

  private void failWith(Throwable t) {
    GoError error;
    try {
      error = GoError.from(t);
    } catch (RuntimeException | Error notSimulated) {
      result.completeExceptionally(notSimulated);
      return;
    }
    fail(error);
  }

  private SeededClientHandshaker handshaker() {
    SeededClientHandshaker h = handshaker;
    if (h == null) {
      throw new IllegalStateException("the handshaker is made before dialing");
    }
    return h;
  }

  private static void cancel(@Nullable Cancellable timer) {
    if (timer != null) {
      timer.cancel();
    }
  }

  /** What the demultiplexer hands on, in order. */
  private sealed interface Event permits Data, End {
  }

  /** A message for one stream. */
  private record Data(int stream, byte[] data) implements Event {
  }

  /** The end of reading: end of stream for every stream, or the error they all get. */
  private record End(Optional<GoError> error) implements Event {
  }

  /** One local stream written as channel messages: stdin. */
  private final class StreamSink implements ByteSink {
    private final int stream;

    StreamSink(int stream) {
      this.stream = stream;
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      byte[] message = new byte[data.length + 1];
      message[0] = (byte) stream;
      System.arraycopy(data, 0, message, 1, data.length);
      return send(message);
    }

    @Override
    public void close() {
      closeRemoteStdin();
    }
  }

  /** The connection's pipeline end: the handshake response first, then the frames. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!upgraded) {
          onHandshakeMessage(msg);
        } else if (msg instanceof WebSocketFrame frame) {
          onFrame(frame);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      onException(cause);
    }
  }
}
