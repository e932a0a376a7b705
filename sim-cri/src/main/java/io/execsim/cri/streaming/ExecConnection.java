package io.execsim.cri.streaming;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.node.Node;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.remotecommand.StreamProtocol.StreamType;
import io.execsim.core.remotecommand.TerminalSizeChannel;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.spdy.SpdySession;
import io.execsim.core.spdy.SpdyStream;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.websocket.WebSocketServerConfig;
import io.execsim.cri.ExecStreams;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec on an upgraded SPDY connection, as the streaming library's {@code createHTTPStreamStreams} and
 * {@code ServeExec} run it: replies to each stream as it arrives, waits up to 30 s for the expected set, runs the
 * exec, writes the exit status on the error stream, and closes the connection: RST_STREAM for the streams it has not
 * finished (the error stream among them), then GOAWAY.
 *
 * <p>Runs on the simulation's thread.
 */
final class ExecConnection {
  private static final Logger log = LoggerFactory.getLogger(ExecConnection.class);

  private final Node node;
  private final StreamRuntime runtime;
  private final ExecRequest exec;
  private final String protocol;
  private final String label;
  private final SpdySession session;
  private final Map<StreamType, SpdyStream> streams = new EnumMap<>(StreamType.class);
  private final int expected;
  private final boolean resizing;
  private final boolean withholdReplies;
  private Scheduler.Cancellable timer = () -> { };
  private int received;
  private boolean negotiated;
  private boolean timedOut;

  ExecConnection(Node node, StreamRuntime runtime, ExecRequest exec, String protocol, String label,
      boolean withholdReplies) {
    this.node = node;
    this.withholdReplies = withholdReplies;
    this.runtime = runtime;
    this.exec = exec;
    this.protocol = protocol;
    this.label = label;
    this.session = SpdySession.newServer(node.scheduler(), this::onStream);
    // v3 and v4 handlers support terminal resizing; v1 and v2 know no resize stream.
    this.resizing = protocol.equals(StreamProtocol.V4) || protocol.equals(StreamProtocol.V3);
    this.expected = 1 + (exec.stdin() ? 1 : 0) + (exec.stdout() ? 1 : 0) + (exec.stderr() ? 1 : 0)
        + (exec.tty() && resizing ? 1 : 0);
  }

  SpdySession session() {
    return session;
  }

  /**
   * Starts the wait for the client's streams. Past it the server gives up without a word and leaves the connection
   * open, as the real handler returns without closing what it hijacked; nothing moves on it any more, so it ends
   * when the client hangs up, or at the idle timeout with a reset of each stream and GOAWAY, as spdystream's idle
   * timer ends a connection.
   */
  void awaitStreams(Channel channel) {
    timer = node.scheduler().schedule(StreamingServer.STREAM_CREATION_TIMEOUT, () -> {
      if (negotiated) {
        return;
      }
      timedOut = true;
      log.warn("{}: timed out waiting for client to create streams", label);
      node.trace().record(Hop.STREAMING, Phase.STREAMS_CLOSED, "timed out waiting for client to create streams");
      if (!channel.isOpen()) {
        return;
      }
      // containerd's one stream_idle_timeout, which its WebSocket server has too. Simplified: it counts from here;
      // streams the client opens later get no reply, so nothing that would push it back moves on the connection
      Scheduler.Cancellable idle = node.scheduler().schedule(WebSocketServerConfig.DEFAULT_IDLE_TIMEOUT,
          session::close);
      channel.closeFuture().addListener(f -> idle.cancel());
    });
  }

  private void onStream(SpdyStream stream) {
    if (withholdReplies) {
      // a fault: the handler that would reply is stuck, so the stream is never created for the client
      log.debug("{}: stream {} left without reply (fault)", label, stream.id());
      return;
    }
    if (negotiated || timedOut) {
      // The real handler blocks on a channel nobody reads any more, so the stream never gets its reply.
      log.debug("{}: stream {} after negotiation left without reply", label, stream.id());
      return;
    }
    String type = stream.header(StreamProtocol.STREAM_TYPE_HEADER).orElse("");
    // Never an empty header block: kubectl's parser fails on it and waits 30 s for the reply.
    stream.reply(Map.of(StreamProtocol.STREAM_TYPE_HEADER, type));
    Optional<StreamType> known = StreamType.ofHeader(type).filter(t -> t != StreamType.RESIZE || resizing);
    if (known.isEmpty()) {
      log.warn("{}: unexpected stream type: {}", label, GoText.quote(type));
      return;
    }
    // A second stream of a type replaces the first and counts again, as in waitForStreams.
    streams.put(known.get(), stream);
    received++;
    if (received == expected) {
      onNegotiated();
    }
  }

  private void onNegotiated() {
    negotiated = true;
    timer.cancel();
    node.trace().record(Hop.STREAMING, Phase.STREAMS_NEGOTIATED, "protocol=" + protocol + " streams="
        + streams.keySet().stream().map(StreamType::header).collect(Collectors.joining(",")));
    if (protocol.equals(StreamProtocol.V1)) {
      // v1 handlers reset the error stream as negotiation ends and close their side of stdin at once.
      Optional.ofNullable(streams.get(StreamType.ERROR)).ifPresent(SpdyStream::reset);
      Optional.ofNullable(streams.get(StreamType.STDIN)).ifPresent(s -> s.sink().close());
    }
    Optional<TerminalSizeQueue> sizes = Optional.ofNullable(streams.get(StreamType.RESIZE)).map(s -> {
      TerminalSizeChannel channel = new TerminalSizeChannel(node.scheduler());
      new ResizeDecoder(s.source(), channel).start();
      return channel;
    });
    ExecStreams io = new ExecStreams(
        Optional.ofNullable(streams.get(StreamType.STDIN)).map(SpdyStream::source),
        Optional.ofNullable(streams.get(StreamType.STDOUT)).map(SpdyStream::sink),
        Optional.ofNullable(streams.get(StreamType.STDERR)).map(SpdyStream::sink),
        exec.tty(), sizes);
    CompletionStage<Void> run;
    try {
      run = runtime.exec(exec.containerId(), exec.cmd(), io);
    } catch (GoError e) {
      run = CompletableFuture.failedFuture(e);
    }
    run.whenComplete((v, e) -> onExecDone(e));
  }

  private void onExecDone(@Nullable Throwable failure) {
    RemoteCommandStatus status;
    try {
      status = ExecOutcome.status(failure);
    } catch (IllegalStateException bug) {
      // Not a simulated failure but a bug: the connection goes down as a panicking handler takes it down.
      log.warn("{}: {}", label, bug.getMessage(), bug.getCause());
      session.close();
      return;
    }
    log.debug("{}: exec ended: {} {}", label, status.status(), status.message());
    writeStatus(status);
    session.close();
    node.trace().record(Hop.STREAMING, Phase.STREAMS_CLOSED, "protocol=" + protocol);
  }

  /** v4 writes the status as JSON; v1 to v3 write only a failure's message, as plain text. */
  private void writeStatus(RemoteCommandStatus status) {
    SpdyStream error = streams.get(StreamType.ERROR);
    boolean json = protocol.equals(StreamProtocol.V4);
    String detail = "status=" + status.status() + (status.reason().isEmpty() ? "" : " reason=" + status.reason());
    if (error != null && (json || !status.status().equals(RemoteCommandStatus.SUCCESS))) {
      byte[] bytes = json ? status.toJson() : status.message().getBytes(StandardCharsets.UTF_8);
      error.sink().write(bytes).whenComplete((ok, e) -> {
        if (e != null) {
          log.debug("{}: writing the status failed: {}", label, e.getMessage());
        }
      });
    }
    node.trace().record(Hop.STREAMING, Phase.EXIT_STATUS_SENT, detail);
  }
}
