package io.execsim.runc;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.oci.Invocation;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import io.execsim.runc.programs.BuiltinPrograms;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The freezer of {@code runc pause} and the process faults, seen from runc's caller: its stdio and exit status. */
class ContainerProcessFaultsTest {
  private static final String CONFIG = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/pause\"],"
      + "\"env\":[\"PATH=/bin\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"}}";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(1), new Trace(scheduler));
  private final Runc runc = new Runc(node, new ProgramRegistry().registerAll(BuiltinPrograms.all())
      .register("pause", ctx -> new CompletableFuture<>()));

  ContainerProcessFaultsTest() {
    node.fs().mkdirAll("/bundle/rootfs", 0755);
    FileSystemView root = node.fs().view("/bundle/rootfs");
    BuiltinPrograms.all().keySet().forEach(name -> ProgramRegistry.install(root, "/bin/" + name, name));
    ProgramRegistry.install(root, "/pause", "pause");
    node.fs().writeFile("/bundle/config.json", CONFIG.getBytes(StandardCharsets.UTF_8), 0644);
    assertThat(run("create", "--bundle", "/bundle", "c1")).isZero();
    assertThat(run("start", "c1")).isZero();
  }

  @AfterEach
  void nothingLeftBehind() {
    run("kill", "c1", "KILL");
    scheduler.runUntilIdle();
    assertThat(node.processes().running()).isEmpty();
  }

  private int run(String... args) {
    return scheduler.await(runc.invoke(new Invocation(List.of(args), Map.of(), Streams.empty(), Streams.discard(),
        Streams.discard())));
  }

  /** A foreground {@code runc exec} over pipes: what the caller feeds it and what it collects. */
  private final class Exec {
    final ByteSink stdin;
    final Streams.Collector stdout = new Streams.Collector(1 << 20);
    final CompletionStage<Integer> status;

    /** Runs {@code runc exec ARGS...}, the container id and the command among them. */
    Exec(String... args) {
      Pipe in = new Pipe(scheduler);
      this.stdin = in.openWriter();
      List<String> argv = new ArrayList<>(List.of("exec"));
      argv.addAll(List.of(args));
      this.status = runc.invoke(new Invocation(argv, Map.of(), in.openReader(), stdout, Streams.discard()));
      scheduler.advance(Duration.ZERO);
    }

    String output() {
      return new String(stdout.bytes(), StandardCharsets.UTF_8);
    }

    void feed(String text) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      scheduler.advance(Duration.ZERO);
    }
  }

  private ProcessHandle running(String argv0) {
    return node.processes().running("c1").stream().filter(p -> p.args().get(0).equals(argv0))
        .findFirst().orElseThrow();
  }

  @Test
  void frozenCatReadsNothingUntilTheResume() {
    Exec cat = new Exec("c1", "cat");
    cat.feed("a");

    assertThat(run("pause", "c1")).isZero();
    cat.feed("b");

    assertThat(runc.status("/run/runc", "c1")).contains(ContainerStatus.PAUSED);
    assertThat(cat.output()).isEqualTo("a");
    assertThat(run("resume", "c1")).isZero();
    scheduler.advance(Duration.ZERO);
    assertThat(cat.output()).isEqualTo("ab");
    cat.stdin.close();
    assertThat(scheduler.await(cat.status)).isZero();
  }

  @Test
  void execIgnoringThePauseStartsFrozen() {
    assertThat(run("pause", "c1")).isZero();
    Exec echo = new Exec("--ignore-paused", "c1", "echo", "hi");

    scheduler.advance(Duration.ofMinutes(1));

    assertThat(echo.output()).isEmpty();
    assertThat(echo.status.toCompletableFuture().isDone()).isFalse();
    assertThat(run("resume", "c1")).isZero();
    assertThat(scheduler.await(echo.status)).isZero();
    assertThat(echo.output()).isEqualTo("hi\n");
  }

  @Test
  void earlyExitReportsAtOnceWhileTheOrphanHoldsTheOutput() {
    Exec sh = new Exec("c1", "sh", "-c", "echo a; sleep 5; echo b");
    scheduler.advance(Duration.ofSeconds(1));

    running("sh").exitEarly(2);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(scheduler.await(sh.status)).isEqualTo(2);
    assertThat(sh.stdout.isClosed()).as("stdout, held by the orphan sleep").isFalse();
    assertThat(running("sleep").isRunning()).isTrue();
    scheduler.advance(Duration.ofSeconds(3));
    assertThat(sh.stdout.isClosed()).isTrue();
    assertThat(sh.output()).isEqualTo("a\n");
  }

  @Test
  void earlyExitOfAFrozenProcessComesAtTheResume() {
    Exec sleep = new Exec("c1", "sleep", "30");
    assertThat(run("pause", "c1")).isZero();

    running("sleep").exitEarly(4);
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(sleep.status.toCompletableFuture().isDone()).isFalse();
    assertThat(run("resume", "c1")).isZero();
    assertThat(scheduler.await(sleep.status)).isEqualTo(4);
  }

  @Test
  void processThatNeverExitsKeepsItsOutputOpenUntilSigkill() {
    Exec sh = new Exec("c1", "sh", "-c", "sleep 1; echo done");
    ProcessHandle p = running("sh");

    p.neverExit();
    scheduler.advance(Duration.ofHours(1));

    assertThat(sh.output()).isEqualTo("done\n");
    assertThat(sh.stdout.isClosed()).isFalse();
    p.signal(Signal.SIGTERM);
    p.signal(Signal.SIGINT);
    assertThat(p.isRunning()).isTrue();
    p.signal(Signal.SIGKILL);
    assertThat(scheduler.await(sh.status)).isEqualTo(137);
    assertThat(scheduler.await(p.exit())).isEqualTo(ExitStatus.killed(Signal.SIGKILL));
    assertThat(sh.stdout.isClosed()).isTrue();
  }
}
