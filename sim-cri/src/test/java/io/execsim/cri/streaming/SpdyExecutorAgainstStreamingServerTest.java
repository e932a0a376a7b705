package io.execsim.cri.streaming;

import io.execsim.core.testing.NettyLeaks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.net.Network;
import io.execsim.core.node.Node;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.ExitCodeError;
import io.execsim.core.remotecommand.SpdyExecutor;
import io.execsim.core.remotecommand.StreamOptions;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.trace.TraceEvent;
import io.execsim.cri.ContainerdConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpdyExecutorAgainstStreamingServerTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private static final String ADDRESS = "127.0.0.1:10010";
  private static final ExecRequest OUTPUTS = new ExecRequest("c1", List.of("sh", "-c", "exit 3"), false, false, true,
      true);

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final Node node = new Node("node-1", scheduler, new SimRandom(1), new Trace(scheduler));
  private final Streams.Collector stdout = new Streams.Collector(4 << 20);
  private final Streams.Collector stderr = new Streams.Collector(1 << 20);

  @AfterEach
  void noBufferLeaks() {
    scheduler.runUntilIdle();
    NettyLeaks.assertNoneLeaked();
  }

  private StubRuntime serve(StubRuntime.Behaviour behaviour) {
    StubRuntime runtime = new StubRuntime(behaviour);
    new StreamingServer(node, network, ContainerdConfig.defaults(10010), runtime, LegacyWebSocketServer.refusing())
        .start();
    return runtime;
  }

  private SpdyExecutor executor(String token) {
    return executor(token, StreamProtocol.KUBECTL_SPDY_OFFER);
  }

  private SpdyExecutor executor(String token, List<String> offer) {
    ExecTarget target = new ExecTarget(ADDRESS, ADDRESS, "/exec/" + token, Map.of());
    return new SpdyExecutor(network, "kubelet", "http", target, offer);
  }

  private StreamOptions outputs() {
    return new StreamOptions(Optional.empty(), Optional.of(stdout), Optional.of(stderr), false, Optional.empty());
  }

  private static String text(Streams.Collector c) {
    return new String(c.bytes(), StandardCharsets.UTF_8);
  }

  private GoError failureOf(CompletionStage<Void> stage) {
    CompletableFuture<Void> f = stage.toCompletableFuture();
    assertThatThrownBy(() -> scheduler.await(f)).isInstanceOf(GoError.class);
    return GoError.from(f.handle((v, e) -> e).join());
  }

  @Test
  void stdoutAndStderrArriveAndExitZeroCompletesNormally() {
    StubRuntime runtime = serve(StubRuntime.prints("hello\n", "warning\n", 0));

    scheduler.await(executor(runtime.issue(OUTPUTS)).stream(outputs()));

    assertThat(text(stdout)).isEqualTo("hello\n");
    assertThat(text(stderr)).isEqualTo("warning\n");
    assertThat(stdout.isClosed()).isTrue();
    assertThat(node.trace().events(Hop.STREAMING)).extracting(TraceEvent::phase).containsExactly(
        Phase.STREAMING_UPGRADE, Phase.STREAMS_NEGOTIATED, Phase.EXIT_STATUS_SENT, Phase.STREAMS_CLOSED);
    scheduler.runUntilIdle();
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void exitThreeFailsWithExitCodeError() {
    StubRuntime runtime = serve(StubRuntime.prints("", "oops\n", 3));

    GoError e = failureOf(executor(runtime.issue(OUTPUTS)).stream(outputs()));

    assertThat(e).isInstanceOfSatisfying(ExitCodeError.class, x -> assertThat(x.code()).isEqualTo(3));
    assertThat(e.text()).isEqualTo("command terminated with exit code 3");
    assertThat(text(stderr)).isEqualTo("oops\n");
  }

  @Test
  void v3ReportsTheExitAsText() {
    StubRuntime runtime = serve(StubRuntime.prints("", "", 3));

    GoError e = failureOf(executor(runtime.issue(OUTPUTS), List.of(StreamProtocol.V3)).stream(outputs()));

    assertThat(e).isNotInstanceOf(ExitCodeError.class);
    assertThat(e.text()).isEqualTo("error executing remote command: command terminated with non-zero exit code: "
        + "error executing command [sh -c exit 3], exit code 3");
  }

  @Test
  void v1LosesTheExitStatusBecauseTheServerResetsTheErrorStreamAtOnce() {
    StubRuntime runtime = serve(StubRuntime.prints("out\n", "", 3));

    scheduler.await(executor(runtime.issue(OUTPUTS), List.of(StreamProtocol.V1)).stream(outputs()));

    assertThat(text(stdout)).isEqualTo("out\n");
  }

  @Test
  void failedExecFailsWithTheStatusMessage() {
    StubRuntime runtime = serve(StubRuntime.fails(GoError.of("failed to exec in container: container is in "
        + "CONTAINER_EXITED state")));

    GoError e = failureOf(executor(runtime.issue(OUTPUTS)).stream(outputs()));

    assertThat(e.text()).isEqualTo("Internal error occurred: error executing command in container: failed to exec "
        + "in container: container is in CONTAINER_EXITED state");
  }

  @Test
  void stdinIsCopiedAndHalfClosed() {
    StubRuntime runtime = serve(StubRuntime.cat());
    ExecRequest cat = new ExecRequest("c1", List.of("cat"), false, true, true, true);
    StreamOptions options = new StreamOptions(Optional.of(Streams.of("ping\npong\n".getBytes(
        StandardCharsets.UTF_8))), Optional.of(stdout), Optional.of(stderr), false, Optional.empty());

    scheduler.await(executor(runtime.issue(cat)).stream(options));

    assertThat(text(stdout)).isEqualTo("ping\npong\n");
  }

  @Test
  void oneMebibyteOfOutputArrivesIntact() {
    byte[] payload = new byte[1 << 20];
    new Random(7).nextBytes(payload);
    StubRuntime runtime = serve((cmd, io) -> {
      ByteSink out = io.stdout().orElseThrow();
      return Streams.copy(Streams.of(payload), out, 4096).thenAccept(n -> {
        out.close();
        io.stderr().orElseThrow().close();
      });
    });

    scheduler.await(executor(runtime.issue(OUTPUTS)).stream(outputs()));

    assertThat(stdout.bytes()).isEqualTo(payload);
  }

  @Test
  void outputIntoAFullPipeIsHeldInTheStreamWithoutFlowControl() {
    byte[] payload = new byte[200_000];
    StubRuntime runtime = serve(StubRuntime.prints(new String(payload, StandardCharsets.ISO_8859_1), "", 0));
    Pipe pipe = new Pipe(scheduler);
    Streams.Collector reader = new Streams.Collector(1 << 20);
    StreamOptions slow = new StreamOptions(Optional.empty(), Optional.of(pipe.openWriter()), Optional.of(stderr),
        false, Optional.empty());
    CompletableFuture<Long> drained = Streams.copy(pipe.openReader(), reader, 1024).toCompletableFuture();

    scheduler.await(executor(runtime.issue(OUTPUTS)).stream(slow));
    scheduler.await(drained);

    assertThat(reader.written()).isEqualTo(new String(payload, StandardCharsets.ISO_8859_1)
        .getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void usedTokenFailsAsUnableToUpgrade() {
    StubRuntime runtime = serve(StubRuntime.prints("", "", 0));
    String token = runtime.issue(OUTPUTS);
    scheduler.await(executor(token).stream(outputs()));

    GoError e = failureOf(executor(token).stream(outputs()));

    assertThat(e.text()).isEqualTo("unable to upgrade connection: 404 page not found");
  }

  @Test
  void terminalSizesTravelOnTheResizeStream() {
    StubRuntime runtime = serve(StubRuntime.cat());
    ExecRequest tty = new ExecRequest("c1", List.of("sh"), true, true, true, false);
    ArrayDeque<TerminalSize> sizes = new ArrayDeque<>(List.of(new TerminalSize(80, 24), new TerminalSize(120, 40)));
    TerminalSizeQueue queue = () -> CompletableFuture.completedFuture(Optional.ofNullable(sizes.poll()));
    StreamOptions options = new StreamOptions(Optional.of(Streams.of("ls\n".getBytes(StandardCharsets.UTF_8))),
        Optional.of(stdout), Optional.of(stderr), true, Optional.of(queue));

    scheduler.await(executor(runtime.issue(tty)).stream(options));

    assertThat(runtime.resizes()).containsExactly(new TerminalSize(80, 24), new TerminalSize(120, 40));
    assertThat(text(stdout)).isEqualTo("ls\n");
    assertThat(stderr.isClosed()).as("a terminal has no stderr stream").isFalse();
  }
}
