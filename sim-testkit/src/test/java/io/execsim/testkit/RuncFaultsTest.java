package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.Errno;
import io.execsim.core.fault.RuncEffect;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.Signal;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * runc failing on its pid file or its log, and a slow runc, through the whole chain: what kubectl shows beside
 * what happened in the container.
 */
class RuncFaultsTest {
  private static final ExecCommand MARK = ExecCommand.of("default", "web", "sh", "-c", "echo hi; touch /tmp/mark");
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");

  private final SimCluster cluster = Chains.webCluster();
  private final SimNode node = cluster.node("node-1");
  private final String bundle = node.bundle(cluster.containerId("default", "web", "app"));

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void pidFileOutOfSpaceKillsTheProcessRuncStarted(KubectlOptions kubectl) {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.ENOSPC);

    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);

    // utils_linux.go: the process runs when createPidFile fails; runc kills it, logs the error and exits 255, and
    // the shim reports the new last error line of log.json
    String execId = o.truth().execId().orElseThrow();
    String tmp = bundle + "/." + execId + ".pid";
    assertThat(o).printedOnStderr(runtimeError(kubectl, execId, "exec failed: write " + tmp
            + ": no space left on device"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_AFTER_START)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL))
        .createdInContainer();
    assertThat(node.node().fs().readFile(tmp)).as("runc leaves its empty temp pid file").isEmpty();
    assertThat(node.node().fs().exists(bundle + "/" + execId + ".pid")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void pidFileIoErrorKillsTheProcessRuncStarted(KubectlOptions kubectl) {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.EIO);

    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);

    String execId = o.truth().execId().orElseThrow();
    String tmp = bundle + "/." + execId + ".pid";
    assertThat(o).printedOnStderr(runtimeError(kubectl, execId, "exec failed: write " + tmp
            + ": input/output error"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_AFTER_START)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL))
        .createdInContainer();
    assertThat(node.node().fs().readFile(tmp)).as("runc leaves its empty temp pid file").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void logThatCannotBeOpenedFailsRuncBeforeItStartsAnything(KubectlOptions kubectl) {
    byte[] logBefore = node.node().fs().readFile(bundle + "/log.json");
    node.failNextRuncExec(RuncEffect.File.LOG, Errno.EACCES);

    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);

    // main.go configLogrus fails in cli's Before: runc exits 1 with the error on its own stdout and stderr, which
    // the shim never copies; log.json has no error line, so the shim reports go-runc's error
    String execId = o.truth().execId().orElseThrow();
    assertThat(o).printedOnStderr(runtimeError(kubectl, execId,
            "runc did not terminate successfully: exit status 1"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted()
        .createdInContainer();
    assertThat(node.node().fs().readFile(bundle + "/log.json")).isEqualTo(logBefore);
    assertThat(node.node().fs().list(bundle)).noneMatch(name -> name.contains(execId + ".pid"));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void onlyTheNextExecFails(KubectlOptions kubectl) {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.ENOSPC);
    cluster.execWithOutcome(kubectl, ECHO);

    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);

    assertThat(o).printedOnStdout("hi\n").exitedWith(0)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .createdInContainer("/tmp/mark");
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void slowRuncDelaysTheExecByItsDelayInVirtualTime(KubectlOptions kubectl) {
    Duration usual = timed(kubectl);
    node.setRuncDelay(Duration.ofSeconds(5));

    Duration slow = timed(kubectl);

    // one runc invocation per exec: the exec takes exactly the delay longer, and nothing times it out
    assertThat(slow).isEqualTo(usual.plusSeconds(5));
    node.setRuncDelay(Duration.ZERO);
    assertThat(timed(kubectl)).isEqualTo(usual);
  }

  /** How long a successful {@link #MARK} takes in virtual time. */
  private Duration timed(KubectlOptions kubectl) {
    Duration start = cluster.clock().elapsed();
    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);
    Duration took = cluster.clock().elapsed().minus(start);
    assertThat(o).printedOnStdout("hi\n").exitedWith(0).isClassifiedAs(OutcomeClass.SUCCEEDED);
    return took;
  }

  @Test
  void slowRuncHoldsTheProcessBackUntilTheDelayIsOver() {
    node.setRuncDelay(Duration.ofSeconds(30));
    SimExec exec = cluster.startExec(MARK);

    cluster.clock().advance(Duration.ofSeconds(29));
    assertThat(exec.truth().started()).as("runc still waits").isFalse();
    assertThat(exec.isDone()).isFalse();
    cluster.clock().advance(Duration.ofSeconds(2));

    assertThat(exec.outcome()).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED)
        .createdInContainer("/tmp/mark");
    node.setRuncDelay(Duration.ZERO);
  }

  /**
   * kubectl's line for a runtime error {@code text} of exec {@code execId}: containerd's wrapping, the streaming
   * server's InternalError, and over WebSocket the translator's once more.
   */
  private static String runtimeError(KubectlOptions kubectl, String execId, String text) {
    return Chains.errorLine(kubectl, "Internal error occurred: error executing command in container: failed to "
        + "exec in container: failed to start exec \"" + execId + "\": OCI runtime exec failed: " + text
        + ": unknown");
  }
}
