package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.trace.Hop;
import io.execsim.cri.Containerd;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRI streaming server's token cache and stream setup broken: kubectl's view and the truth. */
class StreamingFaultsTest {
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");

  private final SimCluster cluster = Chains.webCluster();
  private final Containerd containerd = cluster.node("node-1").containerd();

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  /** Starts the exec and runs the chain until containerd has issued its token, not yet redeemed. */
  private SimExec startUntilTokenIssued(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ECHO);
    assertThat(cluster.clock().advanceUntil(() -> !containerd.pendingTokens().isEmpty(), Duration.ofSeconds(1)))
        .as("a token was issued").isTrue();
    return exec;
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void expiredTokenIsRefusedWith404(KubectlOptions kubectl) {
    SimExec exec = startUntilTokenIssued(kubectl);

    containerd.expireTokens();

    // the kubelet's proxy copies the streaming server's 404 back; over WebSocket k3s-io/k3s#13470's text
    assertThat(exec.outcome()).printedOnStderr(Chains.errorLine(kubectl, "unable to upgrade connection: 404 page "
            + "not found"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void tokenUsedByAnotherClientIsRefusedWith404(KubectlOptions kubectl) {
    SimExec exec = startUntilTokenIssued(kubectl);

    containerd.consumeTokens();

    assertThat(exec.outcome()).printedOnStderr(Chains.errorLine(kubectl, "unable to upgrade connection: 404 page "
            + "not found"))
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void fullTokenCacheRefusesTheCriCall(KubectlOptions kubectl) {
    containerd.fillTokenCache();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // the kubelet answers 429 (Retry-After: 60) with "rpc error: code = ResourceExhausted desc = maximum number of
    // in-flight requests exceeded"; as a one-line YAML mapping it decodes to an empty Status in client-go (see
    // CriFaultsTest), so kubectl has no message to print
    assertThat(o).printedOnStderr(kubectl.webSockets() ? "error: error stream protocol error: unknown error\n"
            : "Error from server: \n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
    containerd.drainTokenCache();
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void streamsNeverCreatedTimeOutAfterThirtySeconds(KubectlOptions kubectl) {
    cluster.streaming("node-1").withholdStreamsOfNextExec();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // spdystream's ErrTimeout in its newer spelling (E12); the streaming server gives up at the same time
    assertThat(o).printedOnStderr(Chains.errorLine(kubectl, "Timeout occurred"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    assertThat(cluster.clock().elapsed()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cluster.trace().events(Hop.STREAMING)).anyMatch(e -> e.detail()
        .equals("timed out waiting for client to create streams"));
  }
}
