package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.LinkName;
import io.execsim.core.net.ActiveToxic;
import io.execsim.core.net.toxic.HalfClose;
import io.execsim.core.net.toxic.LimitData;
import io.execsim.core.net.toxic.Stall;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.Signal;
import io.execsim.core.rpc.CallFault;
import io.execsim.core.rpc.CallLinkHandle;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Toxics on an exec's FIFOs and faults on the call links below the kubelet, under a whole kubectl exec. */
class FifoAndCallFaultsTest {
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");

  private final SimCluster cluster = Chains.webCluster();
  private final SimNode node = cluster.node("node-1");
  private final String container = cluster.containerId("default", "web", "app");

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  /** The virtual time {@code command} takes in a cluster of its own without faults. */
  private static Duration plainTime(KubectlOptions kubectl, ExecCommand command) {
    try (SimCluster plain = Chains.webCluster()) {
      Duration start = plain.clock().elapsed();
      plain.execWithOutcome(kubectl, command);
      return plain.clock().elapsed().minus(start);
    }
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void stalledStdoutFifoDeliversTheOutputTenSecondsLate(KubectlOptions kubectl) {
    List<String> stalled = new ArrayList<>();
    node.onExecFifo((containerId, execId, stream, way) -> {
      if (stream == LinkName.STDOUT) {
        ActiveToxic stall = way.add(new Stall(), 0);
        node.scheduler().schedule(Duration.ofSeconds(10), stall::remove);
        stalled.add(containerId);
      }
    });
    Duration start = cluster.clock().elapsed();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    assertThat(o).printedOnStdout("hi\n").exitedWith(0).isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(0));
    assertThat(stalled).containsExactly(container);
    // nothing else on the path waits: the exec takes its usual time and the stall's ten seconds
    assertThat(cluster.clock().elapsed().minus(start)).isEqualTo(plainTime(kubectl, ECHO).plusSeconds(10));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void stdoutLimitEndsTheOutputAfterThreeBytesAndLeavesYesBlockedOnItsPipe(KubectlOptions kubectl) {
    node.onExecFifo((containerId, execId, stream, way) -> {
      if (stream == LinkName.STDOUT) {
        way.add(new LimitData(3), 0);
      }
    });

    SimExec exec = cluster.startExec(kubectl, ExecCommand.of("default", "web", "yes"));
    Optional<ExecOutcome> early = exec.outcomeWithin(Duration.ofMinutes(1));

    // the shim's copy gets EPIPE from the FIFO and stops, as the real one's does ("error copying stdout"), but it
    // keeps the process's pipe open: yes fills it and blocks, and kubectl waits for an exit that does not come
    assertThat(early).isEmpty();
    assertThat(exec.truth().isRunning()).isTrue();
    exec.signal(Signal.SIGKILL);
    assertThat(exec.outcome()).printedOnStdout("y\ny").printedOnStderr("command terminated with exit code 137\n")
        .exitedWith(137)
        .processEndedWith(ExitStatus.killed(Signal.SIGKILL));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void stdinHalfClosedAtItsSixthByteEndsCatsInputThere(KubectlOptions kubectl) {
    node.onExecFifo((containerId, execId, stream, way) -> {
      if (stream == LinkName.STDIN) {
        way.add(new HalfClose(), 6);
      }
    });

    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "cat")
        .withStdin("hello\nworld\n".getBytes(StandardCharsets.UTF_8)));

    // cat reads "hello\n", then end of file, and exits 0; the rest of the input is lost on the way
    assertThat(o).printedOnStdout("hello\n").exitedWith(0).isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(0));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void latencyOnTheCriLinkDelaysTheExecCallBothWays(KubectlOptions kubectl) {
    List<CallLinkHandle> slowed = new ArrayList<>();
    node.onCallLink(LinkName.KUBELET_CONTAINERD, h -> {
      h.addLatency(Duration.ofSeconds(2), Duration.ZERO);
      slowed.add(h);
    });
    Duration start = cluster.clock().elapsed();

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    assertThat(o).printedOnStdout("hi\n").exitedWith(0).isClassifiedAs(OutcomeClass.SUCCEEDED);
    assertThat(slowed).extracting(CallLinkHandle::name).containsExactly("kubelet-containerd#1");
    // the CRI Exec call's request and its answer each take 2 s longer
    assertThat(cluster.clock().elapsed().minus(start)).isEqualTo(plainTime(kubectl, ECHO).plusSeconds(4));
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void taskLinkResetAtTheExecCallFailsTheExecAsAShimDeathDoes(KubectlOptions kubectl) {
    CallLinkHandle shim = node.callLinks(LinkName.CONTAINERD_SHIM).get(0);
    assertThat(shim.target()).isEqualTo(container);
    shim.onCall(shim::reset);

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // ttrpc's client fails the call with ErrClosed, and errgrpc makes it "ttrpc: closed: unknown", the text ctr
    // prints when a shim dies in the middle of Exec (real-runtime.md); the CRI wraps it as for any failed create
    assertThat(o).printedOnStderrMatching("error: (Internal error occurred: ){" + (kubectl.webSockets() ? 2 : 1)
            + "}error executing command in container: failed to exec in container: failed to create exec "
            + "\"[0-9a-f]{64}\": ttrpc: closed: unknown\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    // the on-close callback took the shim for dead: containerd cleaned up after it and the container ended; the
    // kubelet starts it again at its next relist, and a later exec reaches the new one
    cluster.clock().advance(Duration.ofSeconds(2));
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void criLinkStalledPastTheRuntimeRequestTimeoutEndsTheCallAsDeadlineExceeded(KubectlOptions kubectl) {
    List<CallFault> stalls = new ArrayList<>();
    node.onCallLink(LinkName.KUBELET_CONTAINERD, h -> stalls.add(h.stall()));

    ExecOutcome o = cluster.execWithOutcome(kubectl, ECHO);

    // the same path as a CRI call containerd never answers (CriFaultsTest): the kubelet's 2 min deadline passes
    // and it answers 500 "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
    assertThat(o).printedOnStderr(kubectl.webSockets() ? "error: error stream protocol error: unknown error\n"
            : "Error from server: \n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    assertThat(cluster.clock().elapsed()).isEqualTo(Duration.ofMinutes(2));
    stalls.forEach(CallFault::remove);
    assertThat(cluster.execWithOutcome(kubectl, ECHO)).printedOnStdout("hi\n").isClassifiedAs(OutcomeClass.SUCCEEDED);
  }
}
