package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** containerd down, restarted, stuck or stopped while the kubelet calls it: kubectl's view and the truth. */
class CriFaultsTest {
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");
  private static final String SOCKET = "/run/containerd/containerd.sock";

  private final SimCluster cluster = Chains.webCluster();
  private final SimNode node = cluster.node("node-1");

  private void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void killedContainerdFailsTheCriCallAsUnavailable(KubectlOptions kubectl) {
    node.killContainerd();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // the kubelet's gRPC dial: the socket file stays after SIGKILL, so connect is refused; grpc-go's wording for a
    // non-blocking client, as kubelet logs show it (NVIDIA/gpu-operator#303, older grpc without the colon); the
    // kubelet answers 500 with the status's text, which kubectl prints after "unable to upgrade connection"
    assertThat(o).printedOnStderr(Chains.errorLine(kubectl, "unable to upgrade connection: rpc error: code = "
            + "Unavailable desc = connection error: desc = \"transport: Error while dialing: dial unix " + SOCKET
            + ": connect: connection refused\""))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    nothingLeftBehind();
  }

  @Test
  void stoppedContainerdHasRemovedItsSocket() {
    node.stopContainerd();

    ExecOutcome o = cluster.execWithOutcome(KubectlOptions.latest().withoutWebSockets(), ECHO);

    assertThat(o).printedOnStderr("error: unable to upgrade connection: rpc error: code = Unavailable desc = "
            + "connection error: desc = \"transport: Error while dialing: dial unix " + SOCKET + ": connect: no such "
            + "file or directory\"\n")
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
    node.startContainerd();
    assertThat(cluster.execWithOutcome(ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
    nothingLeftBehind();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void restartDuringTheExecDropsTheStreamsAndLeaksTheFifos(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "sh", "-c", "sleep 5; touch /tmp/d"));
    cluster.clock().advance(Duration.ofSeconds(1));

    node.killContainerd();
    node.startContainerd();
    ExecOutcome o = exec.outcome();

    // the streaming server dies with containerd, so the kubelet's upstream closes and both paths end as after a
    // kubelet restart (exec-chain-protocol.md, section 11); the process runs on under its shim
    assertThat(o).printedNothing().exitedWith(0)
        .isClassifiedAs(OutcomeClass.REPORTED_SUCCESS_UNFINISHED)
        .processStillRuns();
    cluster.clock().advance(Duration.ofSeconds(10));
    assertThat(exec.truth().exit()).contains(ExitStatus.exited(0));
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).printedOnStdout("hi\n")
        .isClassifiedAs(OutcomeClass.SUCCEEDED);
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).isTrue();
    // the CRI's exec state was in the dead process's memory: nobody deletes the exec or its FIFO directory
    // (containerd/containerd#8856), so the node keeps them, as a real one does
    String execId = o.truth().execId().orElseThrow();
    assertThat(cluster.leftovers()).hasSize(3)
        .allMatch(p -> p.startsWith("/run/containerd/io.containerd.grpc.v1.cri/containers/"))
        .anyMatch(p -> p.endsWith("/" + execId + "-stdout"))
        .anyMatch(p -> p.endsWith("/" + execId + "-stderr"));
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void stuckCriCallEndsAtTheKubeletsRuntimeRequestTimeout(KubectlOptions kubectl) {
    node.containerd().stallNextCriCall();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // the kubelet answers 500 "rpc error: code = DeadlineExceeded desc = context deadline exceeded". That body is a
    // one-line YAML mapping, which client-go's universal decoder turns into an empty metav1.Status: SPDY kubectl
    // prints "Error from server: " with no message, and the translator writes that empty status, which kubectl's v5
    // decoder reports as an unknown error (derived from roundtripper.go NewConnection and v4.go)
    assertThat(o).printedOnStderr(kubectl.webSockets() ? "error: error stream protocol error: unknown error\n"
            : "Error from server: \n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    assertThat(cluster.clock().elapsed()).isEqualTo(Duration.ofMinutes(2));
    nothingLeftBehind();
  }

  @Test
  void suspendedContainerdHoldsTheCallUntilTheDeadline() {
    node.containerd().suspend();

    ExecOutcome o = cluster.execWithOutcome(KubectlOptions.latest().withoutWebSockets(), ECHO);
    node.containerd().resume();

    assertThat(o).printedOnStderr("Error from server: \n").isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
    assertThat(cluster.clock().elapsed()).isEqualTo(Duration.ofMinutes(2));
    assertThat(cluster.execWithOutcome(ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
    nothingLeftBehind();
  }
}
