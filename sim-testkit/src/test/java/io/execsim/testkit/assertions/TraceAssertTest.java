package io.execsim.testkit.assertions;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.junit.SimulatedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Assertions on a trace: phases per hop, their order, faults that fired; and how they read when they fail. */
class TraceAssertTest {
  @SimulatedCluster
  SimCluster cluster;

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster).hasNoLeftovers();
  }

  @Test
  void execThatRunsPassesEveryHop() {
    cluster.exec(ExecCommand.of("default", "web", "echo", "hi"));

    assertThat(cluster.trace())
        .hasPhase(Hop.KUBELET, Phase.CRI_EXEC)
        .hasPhase(Hop.RUNC, Phase.RUNC_STARTED)
        .hasPhase(Hop.PROCESS, Phase.PROCESS_RUNNING)
        .doesNotHavePhase(Hop.KUBELET, Phase.EXEC_FAILED)
        .hasEventMatching(e -> e.hop() == Hop.KUBECTL && e.detail().equals("exit=0"), "kubectl's exit 0")
        .phasesOf(Hop.KUBECTL).startsWith(Phase.CLIENT_REQUEST).endsWith(Phase.STREAMS_CLOSED);
  }

  @Test
  void missingPhaseNamesWhatTheHopDidAndShowsTheTrace() {
    cluster.exec(ExecCommand.of("default", "nosuch", "echo", "hi"));

    assertThatThrownBy(() -> assertThat(cluster.trace()).hasPhase(Hop.KUBELET, Phase.CRI_EXEC))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expecting kubelet to reach phase cri-exec but it did not; kubelet recorded: nothing"
            + "\nthe trace:\n")
        .hasMessageContaining("kubectl     client-request        exec default/nosuch -- echo hi");
  }

  @Test
  void phaseThatShouldNotBeThereIsShownAsRecorded() {
    cluster.exec(ExecCommand.of("default", "web", "true"));

    assertThatThrownBy(() -> assertThat(cluster.trace()).doesNotHavePhase(Hop.RUNC, Phase.RUNC_STARTED))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expecting runc never to reach phase runc-started but it did:\n  ")
        .hasMessageContaining("runc        runc-started          runc ");
  }

  @Test
  void faultThatFiredIsFoundByItsDetail() {
    cluster.kubelet("node-1").restart();

    assertThat(cluster.trace()).hasFaultFired("kubelet killed").hasFaultFired("kubelet started again");
    assertThatThrownBy(() -> assertThat(cluster.trace()).hasFaultFired("containerd stopping"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expecting a fault to fire with \"containerd stopping\" in its detail but the faults "
            + "that fired were:\n  ")
        .hasMessageContaining("kubelet killed: 0 connection(s) from the apiserver");
  }

  @Test
  void noFaultAtAllSaysSo() {
    cluster.exec(ExecCommand.of("default", "web", "true"));

    assertThatThrownBy(() -> assertThat(cluster.trace()).hasFaultFired("kubelet killed"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting a fault to fire with \"kubelet killed\" in its detail but no fault fired");
  }

  @Test
  void phasesOfAHopAreDescribedByTheHop() {
    cluster.exec(ExecCommand.of("default", "web", "true"));

    assertThatThrownBy(() -> assertThat(cluster.trace()).phasesOf(Hop.KUBECTL).contains(Phase.EXEC_FAILED))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("[the phases kubectl recorded] ");
  }

  @Test
  void eventNoneMatchesNamesTheCondition() {
    cluster.exec(ExecCommand.of("default", "web", "true"));

    assertThatThrownBy(() -> assertThat(cluster.trace())
        .hasEventMatching(e -> e.detail().contains("exit=7"), "kubectl's exit 7"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expecting an event of the trace to be kubectl's exit 7 but none was; the trace:\n");
  }
}
