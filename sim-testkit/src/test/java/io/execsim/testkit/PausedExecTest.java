package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import io.execsim.core.process.Signal;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A container paused (its cgroup frozen, {@code runc pause}) while an exec runs in it, then resumed: the process
 * makes no progress while frozen and goes on at the resume; sleeps keep their deadlines, as {@code nanosleep}
 * counts the frozen time against its interval (nanosleep(2), NOTES: fixed since Linux 2.6.0).
 */
class PausedExecTest {
  /** Prints, sleeps five seconds, leaves a mark, prints again. */
  private static final ExecCommand SLEEP_FIVE = ExecCommand.of("default", "web", "sh", "-c",
      "echo a; sleep 5; touch /tmp/slept; echo b");
  /** Five times: sleeps a second, then prints the seconds since it started, rounded. */
  private static final Program TICKS = ctx -> tick(ctx, ctx.now(), 5).thenApply(v -> 0);

  private final SimCluster cluster = SimCluster.builder().seed(3)
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()
          .withProgram("/usr/local/bin/ticks", TICKS)))
      .build();
  private final SimNode node = cluster.node("node-1");
  private final String id = cluster.containerId("default", "web", "app");
  private final Instant start = cluster.clock().now();

  private static CompletionStage<Void> tick(ProcessContext ctx, Instant since, int left) {
    if (left == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return ctx.sleep(Duration.ofSeconds(1))
        .thenCompose(v -> ctx.print(Math.round(Duration.between(since, ctx.now()).toMillis() / 1000.0) + "\n"))
        .thenCompose(v -> tick(ctx, since, left - 1));
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  private Duration elapsed() {
    return Duration.between(start, cluster.clock().now());
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void frozenExecGoesOnAtTheResumeWithItsOverdueSleepEnded(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, SLEEP_FIVE);
    cluster.clock().advance(Duration.ofSeconds(1));

    node.pauseContainer(id);
    cluster.clock().advance(Duration.ofSeconds(10));

    // the sleep's deadline passed at 5 s, yet nothing ran: no mark, no exit
    assertThat(exec.isDone()).isFalse();
    assertThat(exec.truth().isRunning()).isTrue();
    assertThat(exec.truth().changes().isEmpty()).isTrue();
    node.resumeContainer(id);
    assertThat(exec.outcome()).printedOnStdout("a\nb\n").printedOnStderr("").exitedWith(0)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(0))
        .createdInContainer("/tmp/slept");
    assertThat(elapsed()).isBetween(Duration.ofSeconds(11), Duration.ofMillis(11_500));
  }

  @Test
  void pauseWithinASleepDoesNotLengthenIt() {
    SimExec exec = cluster.startExec(SLEEP_FIVE);
    cluster.clock().advance(Duration.ofSeconds(1));

    node.pauseContainer(id);
    cluster.clock().advance(Duration.ofSeconds(2));
    node.resumeContainer(id);

    assertThat(exec.outcome()).printedOnStdout("a\nb\n").exitedWith(0);
    assertThat(elapsed()).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_500));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void frozenProgramWritesNothingUntilTheResume(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "ticks"));
    cluster.clock().advance(Duration.ofMillis(1500));

    node.pauseContainer(id);
    cluster.clock().advance(Duration.ofMillis(8500));
    node.resumeContainer(id);

    // the tick due at 2 s comes at the resume, at 10 s; the ones after it a second apart from there
    assertThat(exec.outcome()).printedOnStdout("1\n10\n11\n12\n13\n").exitedWith(0);
  }

  @Test
  void sigtermToAFrozenProcessWaitsForTheResume() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));
    node.pauseContainer(id);

    exec.signal(Signal.SIGTERM);
    cluster.clock().advance(Duration.ofSeconds(5));

    assertThat(exec.truth().isRunning()).isTrue();
    node.resumeContainer(id);
    assertThat(exec.outcome()).printedOnStderr("command terminated with exit code 143\n").exitedWith(143)
        .processEndedWith(ExitStatus.killed(Signal.SIGTERM));
    assertThat(elapsed()).isLessThan(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void sigkillEndsAFrozenProcess(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));
    node.pauseContainer(id);

    exec.signal(Signal.SIGKILL);

    // a fatal signal goes through the freezer (cgroup-v2.rst, cgroup.freeze)
    assertThat(exec.outcome()).printedOnStderr("command terminated with exit code 137\n").exitedWith(137)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
    assertThat(elapsed()).isLessThan(Duration.ofSeconds(2));
    node.resumeContainer(id);
  }

  @Test
  void stoppingAPausedContainerKillsItsFrozenExec() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));
    node.pauseContainer(id);

    node.stopContainer(id);

    assertThat(exec.outcome()).printedOnStderr("command terminated with exit code 137\n").exitedWith(137)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
  }
}
