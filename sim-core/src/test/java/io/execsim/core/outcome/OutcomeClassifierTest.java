package io.execsim.core.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.Signal;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of client report against every kind of truth, and the class each pair gets. */
class OutcomeClassifierTest {
  private static final FileChanges NONE = FileChanges.none();

  private static final Map<String, ClientObservation> OBSERVED = Map.of(
      "success", observed(0, null),
      "exit3", observed(3, "command terminated with exit code 3"),
      "exit137", observed(137, "command terminated with exit code 137"),
      "exit1", observed(1, "command terminated with exit code 1"),
      "chainError", observed(1, "error: unable to upgrade connection: Unauthorized"),
      "errorButZero", observed(0, "error: something went wrong"),
      "exitTextOtherCode", observed(1, "command terminated with exit code 3"),
      "silentOne", observed(1, null),
      "printedSuccess", new ClientObservation("hi\n".getBytes(StandardCharsets.UTF_8), new byte[0], 0,
          Optional.empty(), Optional.of(ClientProtocol.SPDY)));

  private static final Map<String, GroundTruth> TRUTH = Map.of(
      "notStarted", GroundTruth.notStarted(Optional.empty(), NONE),
      "notStartedAfterRunc", GroundTruth.notStarted(Optional.of("e1"), NONE),
      "running", GroundTruth.running("e1", 1001, NONE),
      "exited0", GroundTruth.exited("e1", 1001, ExitStatus.exited(0), NONE),
      "exited1", GroundTruth.exited("e1", 1001, ExitStatus.exited(1), NONE),
      "exited3", GroundTruth.exited("e1", 1001, ExitStatus.exited(3), NONE),
      "killed9", GroundTruth.exited("e1", 1001, ExitStatus.killed(Signal.SIGKILL), NONE));

  private static ClientObservation observed(int code, String error) {
    return new ClientObservation(new byte[0], (error == null ? "" : error + "\n").getBytes(StandardCharsets.UTF_8),
        code, Optional.ofNullable(error), Optional.of(ClientProtocol.SPDY));
  }

  @ParameterizedTest(name = "{0} with {1} is {2}")
  @CsvSource({
      "success, notStarted, REPORTED_SUCCESS_UNFINISHED",
      "success, notStartedAfterRunc, REPORTED_SUCCESS_UNFINISHED",
      "printedSuccess, notStarted, REPORTED_SUCCESS_WITHOUT_RUNNING",
      "printedSuccess, notStartedAfterRunc, REPORTED_SUCCESS_WITHOUT_RUNNING",
      "printedSuccess, running, REPORTED_SUCCESS_UNFINISHED",
      "printedSuccess, exited0, SUCCEEDED",
      "printedSuccess, exited1, REPORTED_SUCCESS_UNFINISHED",
      "printedSuccess, exited3, REPORTED_SUCCESS_UNFINISHED",
      "printedSuccess, killed9, REPORTED_SUCCESS_UNFINISHED",
      "success, running, REPORTED_SUCCESS_UNFINISHED",
      "success, exited0, SUCCEEDED",
      "success, exited1, REPORTED_SUCCESS_UNFINISHED",
      "success, exited3, REPORTED_SUCCESS_UNFINISHED",
      "success, killed9, REPORTED_SUCCESS_UNFINISHED",
      "exit3, notStarted, FAILED_BEFORE_START",
      "exit3, notStartedAfterRunc, FAILED_BEFORE_START",
      "exit3, running, FAILED_AFTER_START",
      "exit3, exited0, FAILED_AFTER_START",
      "exit3, exited1, FAILED_AFTER_START",
      "exit3, exited3, SUCCEEDED",
      "exit3, killed9, FAILED_AFTER_START",
      "exit137, notStarted, FAILED_BEFORE_START",
      "exit137, notStartedAfterRunc, FAILED_BEFORE_START",
      "exit137, running, FAILED_AFTER_START",
      "exit137, exited0, FAILED_AFTER_START",
      "exit137, exited1, FAILED_AFTER_START",
      "exit137, exited3, FAILED_AFTER_START",
      "exit137, killed9, SUCCEEDED",
      "exit1, notStarted, FAILED_BEFORE_START",
      "exit1, notStartedAfterRunc, FAILED_BEFORE_START",
      "exit1, running, FAILED_AFTER_START",
      "exit1, exited0, FAILED_AFTER_START",
      "exit1, exited1, SUCCEEDED",
      "exit1, exited3, FAILED_AFTER_START",
      "exit1, killed9, FAILED_AFTER_START",
      "chainError, notStarted, FAILED_BEFORE_START",
      "chainError, notStartedAfterRunc, FAILED_BEFORE_START",
      "chainError, running, FAILED_AFTER_START",
      "chainError, exited0, FAILED_AFTER_START",
      "chainError, exited1, FAILED_AFTER_START",
      "chainError, exited3, FAILED_AFTER_START",
      "chainError, killed9, FAILED_AFTER_START",
      "errorButZero, notStarted, FAILED_BEFORE_START",
      "errorButZero, notStartedAfterRunc, FAILED_BEFORE_START",
      "errorButZero, running, FAILED_AFTER_START",
      "errorButZero, exited0, FAILED_AFTER_START",
      "errorButZero, exited1, FAILED_AFTER_START",
      "errorButZero, exited3, FAILED_AFTER_START",
      "errorButZero, killed9, FAILED_AFTER_START",
      "exitTextOtherCode, notStarted, FAILED_BEFORE_START",
      "exitTextOtherCode, notStartedAfterRunc, FAILED_BEFORE_START",
      "exitTextOtherCode, running, FAILED_AFTER_START",
      "exitTextOtherCode, exited0, FAILED_AFTER_START",
      "exitTextOtherCode, exited1, FAILED_AFTER_START",
      "exitTextOtherCode, exited3, FAILED_AFTER_START",
      "exitTextOtherCode, killed9, FAILED_AFTER_START",
      "silentOne, notStarted, FAILED_BEFORE_START",
      "silentOne, notStartedAfterRunc, FAILED_BEFORE_START",
      "silentOne, running, FAILED_AFTER_START",
      "silentOne, exited0, FAILED_AFTER_START",
      "silentOne, exited1, FAILED_AFTER_START",
      "silentOne, exited3, FAILED_AFTER_START",
      "silentOne, killed9, FAILED_AFTER_START",
  })
  void everyPairHasItsClass(String observation, String truth, OutcomeClass expected) {
    assertThat(OutcomeClassifier.classify(OBSERVED.get(observation), TRUTH.get(truth))).isEqualTo(expected);
  }

  @Test
  void theTableCoversEveryPair() throws NoSuchMethodException {
    CsvSource table = getClass().getDeclaredMethod("everyPairHasItsClass", String.class, String.class,
        OutcomeClass.class).getAnnotation(CsvSource.class);
    Set<String> covered = new java.util.HashSet<>();
    Set<OutcomeClass> classes = EnumSet.noneOf(OutcomeClass.class);
    for (String row : table.value()) {
      String[] cells = row.split(",\\s*");
      covered.add(cells[0] + "/" + cells[1]);
      classes.add(OutcomeClass.valueOf(cells[2]));
    }

    assertThat(covered).hasSize(OBSERVED.size() * TRUTH.size());
    assertThat(classes).containsExactlyInAnyOrder(OutcomeClass.values());
  }

  @Test
  void onlyTheExitTextWithItsOwnCodeReportsTheProcessStatus() {
    Map<String, String> reported = new TreeMap<>();
    OBSERVED.forEach((name, o) -> reported.put(name, o.reportedExitStatus().isPresent()
        ? Integer.toString(o.reportedExitStatus().getAsInt()) : "-"));

    assertThat(reported).containsExactlyInAnyOrderEntriesOf(Map.of("success", "0", "exit3", "3", "exit137", "137",
        "exit1", "1", "chainError", "-", "errorButZero", "-", "exitTextOtherCode", "-", "silentOne", "-",
        "printedSuccess", "0"));
  }

  @Test
  void outcomeRefusesAClassThePairDoesNotHave() {
    assertThatThrownBy(() -> new ExecOutcome(OBSERVED.get("success"), TRUTH.get("exited3"), OutcomeClass.SUCCEEDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the outcome's class must be REPORTED_SUCCESS_UNFINISHED: SUCCEEDED");
    assertThat(ExecOutcome.of(OBSERVED.get("exit3"), TRUTH.get("exited3")).classification())
        .isEqualTo(OutcomeClass.SUCCEEDED);
  }

  @Test
  void truthRefusesAnExitOfAProcessThatNeverStarted() {
    assertThatThrownBy(() -> new GroundTruth(Optional.empty(), java.util.OptionalInt.empty(), false,
        Optional.of(ExitStatus.exited(0)), NONE))
        .hasMessage("a process that never started has neither pid nor exit: pid=OptionalInt.empty "
            + "exit=Optional[exit code 0]");
    assertThat(TRUTH.get("running").isRunning()).isTrue();
    assertThat(TRUTH.get("killed9").isRunning()).isFalse();
  }

  @Test
  void changesBetweenSnapshotsAreSortedByKind() {
    FileChanges c = FileChanges.between(Map.of("/a", 1, "/b", 2, "/c", 3), Map.of("/b", 2, "/c", 4, "/z", 5,
        "/d", 6));

    assertThat(c.created()).isEqualTo(List.of("/d", "/z"));
    assertThat(c.modified()).isEqualTo(List.of("/c"));
    assertThat(c.removed()).isEqualTo(List.of("/a"));
    assertThat(c.isEmpty()).isFalse();
    assertThat(FileChanges.between(Map.of("/a", 1), Map.of("/a", 1)).isEmpty()).isTrue();
  }

  @Test
  void protocolLabelsAreTheClientsNames() {
    assertThat(ClientProtocol.ofLabel("websocket")).isEqualTo(ClientProtocol.WEBSOCKET_V5);
    assertThat(ClientProtocol.ofLabel("SPDY/3.1")).isEqualTo(ClientProtocol.SPDY);
    assertThatThrownBy(() -> ClientProtocol.ofLabel("h2")).hasMessage("unknown client protocol: h2");
  }
}
