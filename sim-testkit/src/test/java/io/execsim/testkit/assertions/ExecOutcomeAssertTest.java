package io.execsim.testkit.assertions;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.outcome.ClientObservation;
import io.execsim.core.outcome.ClientProtocol;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.FileChanges;
import io.execsim.core.outcome.GroundTruth;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the outcome assertions read when they fail: kubectl's side and the truth, each in its own words. */
class ExecOutcomeAssertTest {
  /** kubectl's WebSocket dropped without a close frame after the process started (client-go with gorilla). */
  private static final String DROPPED = "error: websocket: close 1006 (abnormal closure): unexpected EOF";
  private static final ExecOutcome LOST_AFTER_START = ExecOutcome.of(
      new ClientObservation(new byte[0], (DROPPED + "\n").getBytes(StandardCharsets.UTF_8), 1,
          Optional.of(DROPPED), Optional.of(ClientProtocol.WEBSOCKET_V5)),
      GroundTruth.running("e1", 42, FileChanges.none()));

  @Test
  void classReadsAsTheClientsViewBesideTheTruth() {
    assertThatThrownBy(() -> assertThat(LOST_AFTER_START).isClassifiedAs(OutcomeClass.SUCCEEDED))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting the outcome to be SUCCEEDED but it was FAILED_AFTER_START:\n"
            + "  kubectl exited with 1; stderr: \"" + DROPPED + "\\n\"\n"
            + "  the process (pid 42, exec e1) still runs");
  }

  @Test
  void processEndNamesWhatReallyHappened() {
    assertThat(LOST_AFTER_START).isClassifiedAs(OutcomeClass.FAILED_AFTER_START).processStillRuns().exitedWith(1);

    assertThatThrownBy(() -> assertThat(LOST_AFTER_START).processEndedWith(ExitStatus.exited(0)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting the process to end with exit code 0 but the process (pid 42, exec e1) still runs");
  }

  @Test
  void exitCodeShowsStderr() {
    assertThatThrownBy(() -> assertThat(LOST_AFTER_START).exitedWith(0))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting kubectl to exit with 0 but it exited with 1; stderr:\n"
            + "  \"" + DROPPED + "\\n\"");
  }

  @Test
  void neverStartedSaysHowFarTheExecGot() {
    ExecOutcome notFound = ExecOutcome.of(new ClientObservation(new byte[0], new byte[0], 1,
        Optional.of("error: unable to upgrade connection: container not found (\"app\")"), Optional.empty()),
        GroundTruth.notStarted(Optional.empty(), FileChanges.none()));

    assertThat(notFound).processNeverStarted().isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
    assertThatThrownBy(() -> assertThat(notFound).processStillRuns())
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting the process to run still but the process never started (the exec never reached "
            + "runc)");
    assertThatThrownBy(() -> assertThat(notFound).ranOver(ClientProtocol.WEBSOCKET_V5))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting the exec to run over websocket but it ran over no protocol (it failed before one)");
  }
}
