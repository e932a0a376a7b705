package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.Program;
import io.execsim.core.process.Signal;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exec's process killed, hung or ending early, and its container stopped or paused: kubectl's view. */
class ProcessFaultsTest {
  private static final int BURST = 1 << 20;
  private static final int CHUNK = 64 * 1024;
  /** Writes a mebibyte as fast as its output is taken, then exits 3 at once. */
  private static final Program BURST_THEN_EXIT = ctx -> write(ctx.stdout()::write, BURST).thenApply(v -> 3);
  /** Never ends by itself. */
  private static final Program HANG = ctx -> new CompletableFuture<>();

  private final SimCluster cluster = SimCluster.builder().seed(3)
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()
          .withProgram("/usr/local/bin/burst", BURST_THEN_EXIT)
          .withProgram("/usr/local/bin/hang", HANG)))
      .build();

  private interface Writer {
    CompletionStage<Void> write(byte[] data);
  }

  private static CompletionStage<Void> write(Writer out, int left) {
    if (left <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return out.write(new byte[Math.min(CHUNK, left)]).thenCompose(v -> write(out, left - CHUNK));
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void processKilledDuringTheExecReports137(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));

    exec.signal(Signal.SIGKILL);
    ExecOutcome o = exec.outcome();

    // the shim reports 128 + 9; client-go's v4 decoder prints it as the command's exit code
    assertThat(o).printedOnStderr("command terminated with exit code 137\n").exitedWith(137)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
  }

  @Test
  void processTerminatedReports143() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));

    exec.signal(Signal.SIGTERM);

    assertThat(exec.outcome()).printedOnStderr("command terminated with exit code 143\n").exitedWith(143)
        .processEndedWith(ExitStatus.killed(Signal.SIGTERM));
  }

  @Test
  void killedShellNeitherPrintsNorExitsOnItsOwnWhenItsChildDies() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sh", "-c", "sleep 5; echo after"));
    cluster.clock().advance(Duration.ofSeconds(1));

    exec.signal(Signal.SIGKILL);

    assertThat(exec.outcome()).printedOnStderr("command terminated with exit code 137\n").exitedWith(137)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
    assertThat(exec.outcome().observed().stdout()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void processThatNeverExitsKeepsKubectlWaiting(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "hang"));

    cluster.clock().advance(Duration.ofHours(1));

    assertThat(exec.isDone()).as("kubectl still waits").isFalse();
    assertThat(exec.truth().isRunning()).isTrue();
    exec.signal(Signal.SIGKILL);
    assertThat(exec.outcome()).exitedWith(137).isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void processExitingWhileItsOutputFlowsDeliversAllOfItFirst(KubectlOptions kubectl) {
    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "burst"));

    // containerd waits for the output copies to drain before it reports the exit (drainExecSyncIO)
    assertThat(o.observed().stdout()).hasSize(BURST);
    assertThat(o).printedOnStderr("command terminated with exit code 3\n").exitedWith(3)
        .isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void stoppedContainerKillsItsExecs(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));

    cluster.node("node-1").stopContainer(cluster.containerId("default", "web", "app"));

    // the PID namespace goes with its init: the exec's process dies of SIGKILL (exec-chain-protocol.md, section 11)
    assertThat(exec.outcome()).printedOnStderr("command terminated with exit code 137\n").exitedWith(137)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
  }

  @Test
  void theKubeletStartsAStoppedContainerAgainAndLaterExecsReachIt() {
    String stopped = cluster.containerId("default", "web", "app");
    cluster.node("node-1").stopContainer(stopped);

    cluster.clock().advance(Duration.ofSeconds(1));

    // restartPolicy Always: the kubelet's next relist, a second later, sees the container ended and starts a new one
    String started = cluster.containerId("default", "web", "app");
    assertThat(started).isNotEqualTo(stopped);
    assertThat(cluster.execWithOutcome(ExecCommand.of("default", "web", "echo", "hi")))
        .printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @Test
  void aContainerThatKeepsEndingIsRestartedAfterAGrowingBackOff() {
    // the first restart comes at the next relist; each later one once the back-off since the end has passed: 10 s,
    // then 20 s, checked by the pod worker every 10 to 15 s
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String stopped = cluster.containerId("default", "web", "app");
      cluster.node("node-1").stopContainer(stopped);
      Instant ended = cluster.clock().now();
      while (cluster.containerId("default", "web", "app").equals(stopped)) {
        cluster.clock().advance(Duration.ofMillis(100));
      }
      waits.add(Duration.between(ended, cluster.clock().now()));
    }

    assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(waits.get(1)).isBetween(Duration.ofSeconds(11), Duration.ofSeconds(16));
    assertThat(waits.get(2)).isBetween(Duration.ofSeconds(21), Duration.ofSeconds(31));
    assertThat(cluster.trace().render()).contains("back-off 10s restarting failed container=app pod=web_default")
        .contains("back-off 20s restarting failed container=app pod=web_default");
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void pausedContainerRefusesNewExecs(KubectlOptions kubectl) {
    String id = cluster.containerId("default", "web", "app");
    cluster.node("node-1").pauseContainer(id);

    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "echo", "hi"));

    // the shim's paused state refuses Exec (process/init_state.go), as its stopped state does in E41
    assertThat(o).printedOnStderrMatching("error: (Internal error occurred: ){" + (kubectl.webSockets() ? 2 : 1)
            + "}error executing command in container: failed to exec in container: failed to create exec "
            + "\"[0-9a-f]{64}\": cannot exec in a paused state: unknown\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
    cluster.node("node-1").resumeContainer(id);
    assertThat(cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "echo", "hi")))
        .printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }
}
