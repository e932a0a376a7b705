package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exec's process exiting early with a code of its own, or never exiting after its program ended. */
class ProcessEndTest {
  /** Prints, waits five seconds in a child, prints again. */
  private static final ExecCommand ECHO_SLEEP_ECHO = ExecCommand.of("default", "web", "sh", "-c",
      "echo a; sleep 5; echo b");

  private final SimCluster cluster = Chains.webCluster();
  private final Instant start = cluster.clock().now();

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    assertThat(cluster.node("node-1").node().processes().running(cluster.containerId("default", "web", "app")))
        .as("processes of the container besides its init").hasSize(1);
    cluster.close();
  }

  private Duration elapsed() {
    return Duration.between(start, cluster.clock().now());
  }

  private static ProcessHandle processOf(SimExec exec) {
    return exec.process().orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void earlyExitIsReportedOnceTheOrphanLetsGoOfTheOutput(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ECHO_SLEEP_ECHO);
    cluster.clock().advance(Duration.ofSeconds(1));

    processOf(exec).exitEarly(3);

    assertThat(exec.truth().exit()).contains(ExitStatus.exited(3));
    // the shell's child "sleep 5" lives on as an orphan holding the exec's stdout and stderr; containerd waits for
    // the output copies before it reports the exit (drain_exec_sync_io_timeout 0s, exec-chain-protocol.md section
    // 6), so kubectl waits for the orphan
    cluster.clock().advance(Duration.ofSeconds(3));
    assertThat(exec.isDone()).as("kubectl waits while the orphan holds the output").isFalse();
    ExecOutcome o = exec.outcome();
    assertThat(o).printedOnStdout("a\n")
        .printedOnStderr("command terminated with exit code 3\n").exitedWith(3)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(3));
    assertThat(elapsed()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
  }

  @Test
  void earlyExitOfAProcessWithoutChildrenEndsTheExecAtOnce() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));

    processOf(exec).exitEarly(0);

    assertThat(exec.outcome()).printedNothing().exitedWith(0)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(0));
    assertThat(elapsed()).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void earlyExitOfAnEndedProcessChangesNothing() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "echo", "hi"));
    exec.await();

    processOf(exec).exitEarly(5);

    assertThat(exec.truth().exit()).contains(ExitStatus.exited(0));
  }

  @Test
  void earlyExitCodeMustBeAnExitCode() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> processOf(exec).exitEarly(256)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exit code must be 0 to 255: 256");
    exec.signal(Signal.SIGKILL);
    assertThat(exec.outcome()).exitedWith(137);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void processThatNeverExitsKeepsKubectlUntilSigkill(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ECHO_SLEEP_ECHO);
    cluster.clock().advance(Duration.ofSeconds(1));

    processOf(exec).neverExit();
    cluster.clock().advance(Duration.ofHours(1));

    assertThat(exec.isDone()).as("kubectl still waits").isFalse();
    assertThat(exec.truth().isRunning()).isTrue();
    exec.signal(Signal.SIGKILL);
    // only the exit was withheld: what the program wrote after the fault, "b", was written
    assertThat(exec.outcome()).printedOnStdout("a\nb\n")
        .printedOnStderr("command terminated with exit code 137\n").exitedWith(137)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
  }

  @Test
  void processThatNeverExitsOutlivesSigterm() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "30"));
    cluster.clock().advance(Duration.ofSeconds(1));
    processOf(exec).neverExit();

    exec.signal(Signal.SIGTERM);
    cluster.clock().advance(Duration.ofMinutes(1));

    assertThat(exec.truth().isRunning()).isTrue();
    exec.signal(Signal.SIGKILL);
    assertThat(exec.outcome()).exitedWith(137).processEndedWith(ExitStatus.killed(Signal.SIGKILL));
  }
}
