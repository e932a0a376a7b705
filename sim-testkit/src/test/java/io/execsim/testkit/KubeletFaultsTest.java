package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubelet.Kubelet;
import io.execsim.kubelet.KubeletAuth;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kubelet down, restarted, refusing the apiserver, and slow: what kubectl shows and what really happened. */
class KubeletFaultsTest {
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");
  /** The kubelet's URL the apiserver's translator posts to for {@link #ECHO}. */
  private static final String ECHO_URL = "https://" + Chains.NODE_IP + ":10250/exec/default/web/app?command=echo"
      + "&command=hi&error=1&output=1";
  /** Runs five seconds and leaves a mark when it is done. */
  private static final ExecCommand FIVE_SECONDS = ExecCommand.of("default", "web", "sh", "-c",
      "sleep 5; touch /tmp/done");

  private final SimCluster cluster = Chains.webCluster();
  private final Kubelet kubelet = cluster.kubelet("node-1");

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void downKubeletRefusesTheApiserversDial(KubectlOptions kubectl) {
    kubelet.kill();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // SPDY: the raw proxy's "error dialing backend" as a 500 Status without a reason (E21). WebSocket: the
    // translator is a SPDY client whose dial fails inside client-go's Negotiate ("error sending request: <url.Error>"),
    // which streamtranslator.go wraps with NewInternalError (E19's shape)
    String refused = "dial tcp " + Chains.NODE_IP + ":10250: connect: connection refused";
    assertThat(o).printedOnStderr(kubectl.webSockets()
            ? "error: Internal error occurred: error sending request: Post \"" + ECHO_URL + "\": " + refused + "\n"
            : "Error from server: error dialing backend: " + refused + "\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
  }

  @Test
  void startedKubeletServesAgain() {
    kubelet.kill();
    cluster.execWithOutcome(ECHO);

    kubelet.start();

    assertThat(cluster.execWithOutcome(ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void restartAfterTheProcessStartedReportsSuccessWhileTheProcessGoesOn(KubectlOptions kubectl) {
    SimExec exec = cluster.startExec(kubectl, FIVE_SECONDS);
    cluster.clock().advance(Duration.ofSeconds(1));
    assertThat(exec.truth().isRunning()).isTrue();

    kubelet.restart();
    ExecOutcome o = exec.outcome();

    // kubectl#1726 (E35). Both legs drop: the kubelet's client connection (apiserver side) and its upstream to the
    // streaming server. SPDY: spdystream ends every stream with io.EOF when its connection ends, so client-go's
    // watchErrorStream reads an empty error stream and returns nil: exit 0. WebSocket: the translator's SPDY
    // executor returns nil the same way, and streamtranslator.go then writes a Success status: exit 0 as well
    assertThat(o).printedNothing().exitedWith(0)
        .isClassifiedAs(OutcomeClass.REPORTED_SUCCESS_UNFINISHED)
        .processStillRuns();
    assertThat(cluster.node("node-1").leftovers()).as("containerd still waits on the exec with its FIFOs")
        .isNotEmpty();

    cluster.clock().advance(Duration.ofSeconds(10));

    assertThat(exec.truth().exit()).contains(ExitStatus.exited(0));
    assertThat(exec.truth().changes().created()).containsExactly("/tmp/done");
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void restartBeforeTheCriCallFailsCleanly(KubectlOptions kubectl) {
    kubelet.setDelay(Duration.ofSeconds(5));
    SimExec exec = cluster.startExec(kubectl, ECHO);
    cluster.clock().advance(Duration.ofSeconds(1));

    kubelet.restart();
    ExecOutcome o = exec.outcome();

    // the kubelet's connection closes before any response. SPDY: the apiserver's proxy reads the backend's response
    // with http.ReadResponse, which turns the EOF into io.ErrUnexpectedEOF, answered as a 500 Status without a
    // reason (upgradeaware.go getResponse). WebSocket: the translator's round tripper reads the response the same
    // way inside http.Client.Do, hence a url.Error behind Negotiate's "error sending request"
    assertThat(o).printedOnStderr(kubectl.webSockets()
            ? "error: Internal error occurred: error sending request: Post \"" + ECHO_URL + "\": unexpected EOF\n"
            : "Error from server: unexpected EOF\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    kubelet.setDelay(Duration.ZERO);
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @Test
  void restartDuringTheCriCallForgetsTheCall() {
    cluster.node("node-1").containerd().stallNextCriCall();
    SimExec exec = cluster.startExec(KubectlOptions.latest().withoutWebSockets(), ECHO);
    cluster.clock().advance(Duration.ofSeconds(1));

    kubelet.restart();

    assertThat(exec.outcome()).printedOnStderr("Error from server: unexpected EOF\n")
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void unauthorizedKubeletRefusesTheUpgrade(KubectlOptions kubectl) {
    kubelet.setAuth(new KubeletAuth.Unauthenticated());

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // E24 over SPDY; over WebSocket real-failures.md's kubelet layer: "Internal error occurred: unable to upgrade
    // connection: <body>" (the translator's SPDY client gets the 401 and NewInternalError wraps it)
    assertThat(o).printedOnStderr(Chains.errorLine(kubectl, "unable to upgrade connection: Unauthorized"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void forbiddenKubeletRefusesTheUpgrade(KubectlOptions kubectl) {
    kubelet.setAuth(new KubeletAuth.Forbidden("kube-apiserver-kubelet-client"));

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // E25/E27; both paths POST to the kubelet, so the verb is create either way
    assertThat(o).printedOnStderr(Chains.errorLine(kubectl, "unable to upgrade connection: Forbidden "
            + "(user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource(s)=[proxy])"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
  }

  @Test
  void failingAuthorizerAnswers500() {
    kubelet.setAuth(new KubeletAuth.AuthorizerError("masterclient"));

    ExecOutcome o = cluster.execWithOutcome(KubectlOptions.latest().withoutWebSockets(), ECHO);

    // E26
    assertThat(o).printedOnStderr("error: unable to upgrade connection: Authorization error (user=masterclient, "
        + "verb=create, resource=nodes, subresource=proxy)\n").isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
  }

  @Test
  void authCanBeSwitchedBetweenExecs() {
    kubelet.setAuth(new KubeletAuth.Unauthenticated());
    ExecOutcome refused = cluster.execWithOutcome(ECHO);

    kubelet.setAuth(new KubeletAuth.Allow());
    ExecOutcome served = cluster.execWithOutcome(ECHO);

    assertThat(refused).isClassifiedAs(OutcomeClass.FAILED_BEFORE_START);
    assertThat(served).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void slowKubeletDelaysTheExecOnly(KubectlOptions kubectl) {
    kubelet.setDelay(Duration.ofSeconds(3));

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    assertThat(o).printedOnStdout("hi\n").exitedWith(0).isClassifiedAs(OutcomeClass.SUCCEEDED);
    assertThat(cluster.clock().elapsed()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void sameSeedAndFaultsGiveTheSameTraceByteForByte() {
    assertThat(restartTrace()).isEqualTo(restartTrace());
  }

  /** The trace of an exec through a kubelet that restarts while the process runs, on a cluster of its own. */
  private static String restartTrace() {
    try (SimCluster c = Chains.webCluster()) {
      SimExec exec = c.startExec(FIVE_SECONDS);
      c.clock().advance(Duration.ofSeconds(1));
      c.kubelet("node-1").restart();
      exec.outcome();
      c.runUntilIdle(Duration.ofHours(1));
      return c.trace().render();
    }
  }
}
