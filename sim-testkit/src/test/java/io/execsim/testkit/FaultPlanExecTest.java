package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fault of each kind, given as a plan, through the whole chain over both protocols: what kubectl prints, its
 * exit code, the outcome's class, and that the cluster recovers once the faults end. The texts are those the
 * direct fault tests derive from the real components (KubeletFaultsTest, CriFaultsTest, StreamingFaultsTest,
 * ApiServerFaultsTest, ProcessFaultsTest, ExecOutcomeTest); here they show the plan reaches the same hops.
 */
class FaultPlanExecTest {
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");
  /** Runs five seconds and leaves a mark when it is done. */
  private static final ExecCommand FIVE_SECONDS = ExecCommand.of("default", "web", "sh", "-c",
      "sleep 5; touch /tmp/done");
  private static final String KUBELET_URL = "https://" + Chains.NODE_IP + ":10250/exec/default/web/app?command=echo"
      + "&command=hi&error=1&output=1";
  private static final String SOCKET = "/run/containerd/containerd.sock";
  private static final String TASK_DIR = "/run/containerd/io\\.containerd\\.runtime\\.v2\\.task/k8s\\.io/[0-9a-f]{64}";
  private static final String RUNC_PROCESS = "error executing command in container: failed to exec in container: "
      + "failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: %s /tmp/runc-process[0-9]+: no space left "
      + "on device: unknown";

  private final SimCluster cluster = Chains.webCluster();
  private FaultPlan plan = FaultPlan.of();

  /** A fault kind: its plan, the command, what each protocol prints (a regex), the exit code and the class. */
  private record Case(String plan, ExecCommand command, String spdy, String webSocket, int exit,
      OutcomeClass outcome) {
    @Override
    public String toString() {
      return plan;
    }
  }

  @AfterEach
  void recoversAndLeavesNothingBehind() {
    cluster.endFaults();
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    assertThat(cluster.execWithOutcome(ECHO)).as("a fresh exec after the faults ended")
        .printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
    cluster.close();
  }

  static Stream<Arguments> cases() {
    String refused = "dial tcp " + Chains.NODE_IP + ":10250: connect: connection refused";
    String unavailable = "unable to upgrade connection: rpc error: code = Unavailable desc = connection error: desc = "
        + "\"transport: Error while dialing: dial unix " + SOCKET + ": connect: connection refused\"";
    List<Case> cases = List.of(
        new Case("apiserver down at time 0s", ECHO,
            quote("The connection to the server apiserver:6443 was refused - did you specify the right host or "
                + "port?\n"),
            quote("The connection to the server apiserver:6443 was refused - did you specify the right host or "
                + "port?\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("apiserver restart at time 1s", FIVE_SECONDS, "",
            quote("error: error reading from error stream: next reader: websocket: close 1006 (abnormal closure): "
                + "unexpected EOF\n"), -1, null),
        new Case("kubelet down at time 0s", ECHO,
            quote("Error from server: error dialing backend: " + refused + "\n"),
            quote("error: Internal error occurred: error sending request: Post \"" + KUBELET_URL + "\": " + refused
                + "\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("kubelet restart at phase process-running", FIVE_SECONDS, "", "", 0,
            OutcomeClass.REPORTED_SUCCESS_UNFINISHED),
        new Case("kubelet slow 5s at time 0s\nkubelet restart at time 1s", ECHO,
            quote("Error from server: unexpected EOF\n"),
            quote("error: Internal error occurred: error sending request: Post \"" + KUBELET_URL
                + "\": unexpected EOF\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("kubelet unauthorized at time 0s", ECHO,
            quote("error: unable to upgrade connection: Unauthorized\n"),
            quote("error: Internal error occurred: unable to upgrade connection: Unauthorized\n"), 1,
            OutcomeClass.FAILED_BEFORE_START),
        new Case("kubelet forbidden at time 0s", ECHO,
            quote(forbidden("error: ")), quote(forbidden("error: Internal error occurred: ")), 1,
            OutcomeClass.FAILED_BEFORE_START),
        new Case("kubelet slow 3s at time 0s", ECHO, "", "", 0, OutcomeClass.SUCCEEDED),
        new Case("streaming token-expired at phase token-issued", ECHO,
            quote("error: unable to upgrade connection: 404 page not found\n"),
            quote("error: Internal error occurred: unable to upgrade connection: 404 page not found\n"), 1,
            OutcomeClass.FAILED_BEFORE_START),
        new Case("streaming token-reused at phase token-issued", ECHO,
            quote("error: unable to upgrade connection: 404 page not found\n"),
            quote("error: Internal error occurred: unable to upgrade connection: 404 page not found\n"), 1,
            OutcomeClass.FAILED_BEFORE_START),
        new Case("streaming too-many-in-flight at time 0s", ECHO, quote("Error from server: \n"),
            quote("error: error stream protocol error: unknown error\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("streaming streams-never-created at time 0s", ECHO, quote("error: Timeout occurred\n"),
            quote("error: Internal error occurred: Timeout occurred\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("containerd down at time 0s", ECHO, quote("error: " + unavailable + "\n"),
            quote("error: Internal error occurred: " + unavailable + "\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("containerd deadline-exceeded at time 0s", ECHO, quote("Error from server: \n"),
            quote("error: error stream protocol error: unknown error\n"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("mount /tmp full bytes at time 0s", ECHO,
            "error: Internal error occurred: " + String.format(RUNC_PROCESS, "write") + "\n",
            "error: Internal error occurred: Internal error occurred: " + String.format(RUNC_PROCESS, "write") + "\n",
            1, OutcomeClass.FAILED_BEFORE_START),
        new Case("mount /tmp full inodes at time 0s", ECHO,
            "error: Internal error occurred: " + String.format(RUNC_PROCESS, "open") + "\n",
            "error: Internal error occurred: Internal error occurred: " + String.format(RUNC_PROCESS, "open") + "\n",
            1, OutcomeClass.FAILED_BEFORE_START),
        new Case("process killed SIGKILL at phase process-running", FIVE_SECONDS,
            quote("command terminated with exit code 137\n"), quote("command terminated with exit code 137\n"), 137,
            OutcomeClass.SUCCEEDED),
        new Case("container stopped at phase process-running", FIVE_SECONDS,
            quote("command terminated with exit code 137\n"), quote("command terminated with exit code 137\n"), 137,
            OutcomeClass.SUCCEEDED),
        new Case("mount /tmp read-only at time 0s", ECHO,
            runtime(1, "failed to start exec", "OCI runtime exec failed: open /tmp/runc-process[0-9]+: read-only "
                + "file system: unknown"),
            runtime(2, "failed to start exec", "OCI runtime exec failed: open /tmp/runc-process[0-9]+: read-only "
                + "file system: unknown"), 1, OutcomeClass.FAILED_BEFORE_START),
        new Case("runc fails-to-start ENOSPC pid-file at call 1", ECHO,
            runtime(1, "failed to start exec", "OCI runtime exec failed: exec failed: write " + TASK_DIR
                + "/\\.[0-9a-f]{64}\\.pid: no space left on device: unknown"),
            runtime(2, "failed to start exec", "OCI runtime exec failed: exec failed: write " + TASK_DIR
                + "/\\.[0-9a-f]{64}\\.pid: no space left on device: unknown"), 1, OutcomeClass.FAILED_AFTER_START),
        new Case("runc slow 2s at time 0s", ECHO, "", "", 0, OutcomeClass.SUCCEEDED),
        new Case("container paused at time 0s for 10s", ECHO,
            runtime(1, "failed to create exec", "cannot exec in a paused state: unknown"),
            runtime(2, "failed to create exec", "cannot exec in a paused state: unknown"), 1,
            OutcomeClass.FAILED_BEFORE_START),
        new Case("link containerd-shim reset at call 1", ECHO,
            runtime(1, "failed to create exec", "ttrpc: closed: unknown"),
            runtime(2, "failed to create exec", "ttrpc: closed: unknown"), 1, OutcomeClass.FAILED_BEFORE_START),
        // the shim dies once echo has run but before containerd has its exit: the death reaches the CRI through
        // the exit channel of its Wait (container_execsync.go "failed while waiting for exec"), and the caller is
        // told the exec failed although the command ran
        new Case("shim killed at phase task-exec", ECHO,
            runtime(1, "failed while waiting for exec", "ttrpc: closed: unknown"),
            runtime(2, "failed while waiting for exec", "ttrpc: closed: unknown"), 1, OutcomeClass.FAILED_AFTER_START),
        new Case("shim hung at time 0s for 1m", ECHO, "", "", 0, OutcomeClass.SUCCEEDED),
        new Case("link kubelet-containerd latency 2s at time 0s", ECHO, "", "", 0, OutcomeClass.SUCCEEDED),
        new Case("link stdout stall at time 0s for 10s", ECHO, "", "", 0, OutcomeClass.SUCCEEDED),
        new Case("link apiserver-kubelet latency 300ms at time 0s", ECHO, "", "", 0, OutcomeClass.SUCCEEDED),
        new Case("link client-apiserver toward-client bandwidth 1KiB/s at time 0s", ECHO, "", "", 0,
            OutcomeClass.SUCCEEDED));
    return cases.stream().flatMap(c -> Chains.protocols().map(k -> Arguments.of(c, k)));
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("cases")
  void aFaultOfEachKindGivesTheChainsOwnText(Case c, KubectlOptions kubectl) {
    plan = FaultPlan.parse(c.plan());

    SimExec exec = cluster.startExec(kubectl, c.command(), plan);
    ExecOutcome o = exec.outcome();

    String stderr = kubectl.webSockets() ? c.webSocket() : c.spdy();
    assertThat(o.observed().stderrText()).as("kubectl's stderr").matches(Pattern.compile(stderr, Pattern.DOTALL));
    if (c.outcome() != null) {
      assertThat(o).exitedWith(c.exit()).isClassifiedAs(c.outcome());
    }
    assertThat(exec.firedFaults()).as("every fault fired").containsExactlyElementsOf(plan.faults());
  }

  /**
   * A runtime error as kubectl prints it: the streaming server's InternalError prefix ({@code times} of it; the
   * translator adds one over WebSocket) and the CRI plugin's wrapping of a failed {@code step} of the exec.
   */
  private static String runtime(int times, String step, String cause) {
    return "error: (Internal error occurred: ){" + times + "}error executing command in container: failed to exec "
        + "in container: " + step + " \"[0-9a-f]{64}\": " + cause + "\n";
  }

  private static String forbidden(String prefix) {
    return prefix + "unable to upgrade connection: Forbidden (user=kube-apiserver-kubelet-client, verb=create, "
        + "resource=nodes, subresource(s)=[proxy])\n";
  }

  private static String quote(String text) {
    return Pattern.quote(text);
  }
}
