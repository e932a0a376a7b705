package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The apiserver down or restarted: what kubectl shows and what really happened. */
class ApiServerFaultsTest {
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");

  private final SimCluster cluster = Chains.webCluster();

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void downApiserverRefusesKubectl(KubectlOptions kubectl) {
    cluster.apiServer().kill();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // kubectl's StandardErrorMessage for a url.Error whose cause says "connection refused", printed without
    // "error: "; the pod lookup fails first, so both protocols print it
    assertThat(o).printedOnStderr("The connection to the server apiserver:6443 was refused - did you specify the "
            + "right host or port?\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
  }

  @Test
  void startedApiserverServesAgain() {
    cluster.apiServer().kill();
    cluster.execWithOutcome(ECHO);

    cluster.apiServer().start();

    assertThat(cluster.execWithOutcome(ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void restartDropsTheExecWhileTheProcessGoesOn(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "sh", "-c", "sleep 5; touch /tmp/d"));
    cluster.clock().advance(Duration.ofSeconds(1));

    cluster.apiServer().restart();
    ExecOutcome o = exec.outcome();

    if (kubectl.webSockets()) {
      // kubectl's own WebSocket ends without a close frame: gorilla's 1006 reaches the error stream's reader
      assertThat(o).printedOnStderr("error: error reading from error stream: next reader: websocket: close 1006 "
              + "(abnormal closure): unexpected EOF\n")
          .exitedWith(1)
          .isClassifiedAs(OutcomeClass.FAILED_AFTER_START);
    } else {
      // the SPDY connection ends: every stream ends with EOF, the error stream empty, and kubectl exits 0
      assertThat(o).printedNothing().exitedWith(0).isClassifiedAs(OutcomeClass.REPORTED_SUCCESS_UNFINISHED);
    }
    assertThat(o).processStillRuns();
    cluster.clock().advance(Duration.ofSeconds(10));
    assertThat(exec.truth().exit()).contains(ExitStatus.exited(0));
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).isClassifiedAs(OutcomeClass.SUCCEEDED);
  }
}
