package io.execsim.cri.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.GoError;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.ShimArgs;
import io.execsim.core.task.ShimBinary;
import io.execsim.core.trace.Trace;
import io.execsim.cri.Containerd;
import io.execsim.cri.ContainerdConfig;
import io.execsim.cri.api.ContainerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** ctr against containerd, as far as no shim is needed: its flags, its dial, its errors and its FIFO sets. */
class CtrTest {
  private static final String SOCKET = "/run/containerd/containerd.sock";
  private static final String REFUSED = "ctr: failed to dial \"" + SOCKET + "\": connection error: desc = "
      + "\"transport: error while dialing: dial unix " + SOCKET + ": connect: connection refused\"\n";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("n", scheduler, new SimRandom(7), new Trace(scheduler));
  private final List<ShimArgs> started = new ArrayList<>();
  private final ShimBinary noShim = new ShimBinary() {
    @Override
    public CompletionStage<String> start(ShimArgs args) {
      started.add(args);
      return CompletableFuture.failedFuture(GoError.of("fork/exec /usr/bin/containerd-shim-runc-v2: "
          + "no such file or directory"));
    }

    @Override
    public CompletionStage<ExitResponse> delete(ShimArgs args) {
      return CompletableFuture.completedFuture(new ExitResponse(0, 137, scheduler.now()));
    }
  };
  private final Containerd containerd = new Containerd(node, ContainerdConfig.defaults(10010), "k8s.io", noShim);
  private final Ctr ctr = new Ctr(node);

  /** Its text is checked against the real ctr by the conformance suite and by the cli's own tests. */
  private static final String EXEC_HELP = CtrCommands.EXEC.help();

  private record Result(String stdout, String stderr, int exit) {
  }

  private Result ctr(String... args) {
    Streams.Collector out = new Streams.Collector(1 << 20);
    Streams.Collector err = new Streams.Collector(1 << 20);
    List<String> argv = new ArrayList<>(List.of("-a", SOCKET));
    argv.addAll(List.of(args));
    int code = scheduler.await(ctr.start(argv, Map.of(), Streams.empty(), out, err).exit());
    return new Result(new String(out.bytes(), StandardCharsets.UTF_8), new String(err.bytes(),
        StandardCharsets.UTF_8), code);
  }

  @Test
  void unknownContainerIsNotFoundInItsNamespace() {
    assertThat(ctr("task", "exec", "--exec-id", "e7", "nosuch", "echo", "hi"))
        .isEqualTo(new Result("", "ctr: container \"nosuch\" in namespace \"default\": not found\n", 1));
    assertThat(ctr("-n", "k8s.io", "task", "kill", "nosuch").stderr())
        .isEqualTo("ctr: container \"nosuch\" in namespace \"k8s.io\": not found\n");
  }

  @Test
  void containerWithoutATaskHasNoRunningTaskAndIsRemoved() {
    scheduler.await(containerd.api().createContainer("default",
        new ContainerRecord("k5", ProcessSpec.of(List.of("sleep", "1"), List.of()), "/rootfs", Optional.empty())));

    assertThat(ctr("task", "exec", "--exec-id", "e1", "k5", "echo", "hi").stderr())
        .isEqualTo("ctr: no running task found: task k5 not found: not found\n");
    assertThat(ctr("c", "rm", "k5").exit()).isZero();
    assertThat(ctr("task", "pause", "k5").stderr())
        .isEqualTo("ctr: container \"k5\" in namespace \"default\": not found\n");
  }

  @Test
  void missingExecIdAndUnknownCommandsFailBeforeDialing() {
    containerd.kill();

    assertThat(ctr("task", "exec", "k1", "echo", "hi"))
        .isEqualTo(new Result(EXEC_HELP, "ctr: Required flag \"exec-id\" not set\n", 1));
    assertThat(ctr("frobnicate")).isEqualTo(new Result("", "No help topic for 'frobnicate'\n", 3));
    assertThat(ctr("task", "frobnicate")).isEqualTo(new Result("", "No help topic for 'frobnicate'\n", 3));
  }

  @Test
  void unknownFlagPrintsIncorrectUsageAndTheCommandsHelp() {
    containerd.kill();

    assertThat(ctr("tasks", "exec", "--exec-id", "e1", "--nosuch", "k1", "echo", "hi"))
        .isEqualTo(new Result("Incorrect Usage: flag provided but not defined: -nosuch\n\n" + EXEC_HELP,
            "ctr: flag provided but not defined: -nosuch\n", 1));
    assertThat(ctr("t", "exec", "-h")).isEqualTo(new Result(EXEC_HELP, "", 0));
    assertThat(ctr("--nosuch", "task", "ls")).isEqualTo(new Result(
        "Incorrect Usage. flag provided but not defined: -nosuch\n\n", "ctr: flag provided but not defined: "
        + "-nosuch\n", 1));
  }

  @Test
  void flagsAfterTheContainerOfAKillAreStillFlags() {
    containerd.kill();

    // kill's arguments are reordered: -s KILL is a flag wherever it stands, and a bad one fails before the dial
    assertThat(ctr("task", "kill", "k1", "-s", "KILL")).isEqualTo(new Result("", REFUSED, 1));
    assertThat(ctr("task", "kill", "k1", "--bogus").stdout()).startsWith("Incorrect Usage: flag provided but not "
        + "defined: -bogus\n\nNAME:\n   ctr tasks kill - signal a container (default: SIGTERM)\n");
  }

  @Test
  void userIsResolvedInTheRootfsBeforeTheTaskIsLookedUp() {
    scheduler.await(containerd.api().createContainer("default",
        new ContainerRecord("k5", ProcessSpec.of(List.of("sleep", "1"), List.of()), "/rootfs", Optional.empty())));
    node.fs().mkdirAll("/rootfs", 0755);

    assertThat(ctr("task", "exec", "--exec-id", "e1", "--user", "nobody", "k5", "id").stderr())
        .isEqualTo("ctr: open /rootfs/etc/passwd: no such file or directory\n");
    assertThat(ctr("task", "exec", "--exec-id", "e1", "--user", "1:2:3", "k5", "id").stderr())
        .isEqualTo("ctr: invalid USER value 1:2:3\n");
    assertThat(ctr("task", "exec", "--exec-id", "e1", "--user", "65534", "k5", "id").stderr())
        .isEqualTo("ctr: no running task found: task k5 not found: not found\n");
  }

  @Test
  void killedContainerdLeavesItsSocketSoTheDialIsRefusedAtOnce() {
    containerd.kill();

    Result r = ctr("task", "exec", "--exec-id", "e1", "k1", "echo", "hi");

    assertThat(r).isEqualTo(new Result("", REFUSED, 1));
    assertThat(scheduler.elapsed()).isZero();
    assertThat(node.fs().exists(SOCKET)).isTrue();
  }

  @Test
  void stoppedContainerdRemovesItsSocketSoTheDialWaitsForItsTimeout() {
    scheduler.await(containerd.stop());
    Duration stopped = scheduler.elapsed();

    Result r = ctr("task", "exec", "--exec-id", "e1", "k1", "echo", "hi");

    assertThat(stopped).isEqualTo(Duration.ofMillis(2050));
    assertThat(r.stderr()).isEqualTo("ctr: failed to dial \"" + SOCKET + "\": context deadline exceeded: "
        + "connection error: desc = \"transport: error while dialing: dial unix://" + SOCKET + ": timeout\"\n");
    assertThat(scheduler.elapsed().minus(stopped)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void dialWaitingForTheSocketSucceedsOnceContainerdServesAgain() {
    scheduler.await(containerd.api().createContainer("default",
        new ContainerRecord("k5", ProcessSpec.of(List.of("sleep", "1"), List.of()), "/rootfs", Optional.empty())));
    scheduler.await(containerd.stop());
    scheduler.schedule(Duration.ofSeconds(3), () -> containerd.start());

    Result r = ctr("task", "exec", "--exec-id", "e1", "k5", "echo", "hi");

    assertThat(r.stderr()).as("the container was kept across the restart")
        .isEqualTo("ctr: no running task found: task k5 not found: not found\n");
    assertThat(containerd.isRunning()).isTrue();
  }

  @Test
  void failedShimStartFailsTheRunAndRemovesItsFifoDirectoryAndBundle() {
    Result r = ctr("run", "-d", "--env", "PATH=/bin", "--rootfs", "/rootfs", "k1", "sleep", "3600");

    assertThat(r.stderr()).isEqualTo("ctr: failed to start shim: start failed: fork/exec "
        + "/usr/bin/containerd-shim-runc-v2: no such file or directory: unknown\n");
    assertThat(started).singleElement().satisfies(a -> assertThat(a.bundle())
        .isEqualTo("/run/containerd/io.containerd.runtime.v2.task/default/k1"));
    assertThat(node.fs().list("/run/containerd/fifo")).isEmpty();
    assertThat(node.fs().exists("/run/containerd/io.containerd.runtime.v2.task/default/k1")).isFalse();
    assertThat(ctr("run", "-d", "--rootfs", "/rootfs", "k1", "sleep", "1").stderr())
        .isEqualTo("ctr: container \"k1\": already exists\n");
  }
}
