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

/** The outcome of an exec through the whole chain: what kubectl showed beside what happened in the container. */
class ExecOutcomeTest {
  /** The runtime's text for a failed go-runc temp file; the exec id is 64 hex digits, the file's suffix digits. */
  private static final String RUNC_PROCESS = "error executing command in container: failed to exec in container: "
      + "failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: %s /tmp/runc-process[0-9]+: no space left "
      + "on device: unknown";

  private final SimCluster cluster = Chains.webCluster();

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void successfulExecShowsWhatTheProcessChanged(KubectlOptions kubectl) {
    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "sh", "-c",
        "echo hi; touch /tmp/marker"));

    assertThat(o).printedOnStdout("hi\n").printedOnStderr("").exitedWith(0)
        .ranOver(Chains.protocolOf(kubectl))
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(0))
        .createdInContainer("/tmp/marker");
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void commandsOwnExitCodeIsASuccessfulExec(KubectlOptions kubectl) {
    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "sh", "-c", "exit 3"));

    assertThat(o).printedOnStderr("command terminated with exit code 3\n").exitedWith(3)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(3));
  }

  @Test
  void missingBinaryGetsAsFarAsRuncButNeverStarts() {
    ExecOutcome o = cluster.execWithOutcome(KubectlOptions.latest().withoutWebSockets(),
        ExecCommand.of("default", "web", "nosuchbinary"));

    assertThat(o).exitedWith(1).isClassifiedAs(OutcomeClass.FAILED_BEFORE_START).processNeverStarted();
    assertThat(o.truth().execId()).as("runc was invoked for the exec").isPresent();
  }

  @Test
  void unknownPodNeverReachesANode() {
    ExecOutcome o = cluster.execWithOutcome(ExecCommand.of("default", "nosuch", "echo", "hi"));

    assertThat(o).printedOnStderr("Error from server (NotFound): pods \"nosuch\" not found\n").exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START).processNeverStarted();
    assertThat(o.truth().execId()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void tmpOutOfInodesFailsBeforeStartWithTheRuncProcessOpen(KubectlOptions kubectl) {
    cluster.node("node-1").fill("/tmp", SimNode.Resource.INODES);

    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "touch", "/tmp/marker"));

    // containerd's text as in E44's inode variant (curie-eng/curie#2870), wrapped by the streaming server's
    // InternalError; over WebSocket the apiserver's translator wraps it once more (kubectl prints the prefix twice)
    assertThat(o).printedOnStderrMatching(prefix(kubectl) + String.format(RUNC_PROCESS, "open") + "\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted()
        .createdInContainer();
    assertThat(o.truth().execId()).as("runc was never invoked").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void tmpOutOfBlocksFailsBeforeStartWithTheRuncProcessWrite(KubectlOptions kubectl) {
    cluster.node("node-1").fill("/tmp", SimNode.Resource.BYTES);

    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "touch", "/tmp/marker"));

    // E44 (siderolabs/talos#9007): write /tmp/runc-process<digits>: no space left on device
    assertThat(o).printedOnStderrMatching(prefix(kubectl) + String.format(RUNC_PROCESS, "write") + "\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
  }

  /** The streaming server's InternalError prefix, and over WebSocket the translator's once more. */
  private static String prefix(KubectlOptions kubectl) {
    return "error: (Internal error occurred: ){" + (kubectl.webSockets() ? 2 : 1) + "}";
  }

  @Test
  void execWorksAgainOnceTmpIsFreed() {
    cluster.node("node-1").fill("/tmp", SimNode.Resource.INODES);
    cluster.execWithOutcome(ExecCommand.of("default", "web", "true"));

    cluster.node("node-1").free("/tmp");
    ExecOutcome o = cluster.execWithOutcome(ExecCommand.of("default", "web", "echo", "again"));

    assertThat(o).printedOnStdout("again\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }
}
