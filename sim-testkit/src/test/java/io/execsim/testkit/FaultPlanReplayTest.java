package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.TraceEvent;
import io.execsim.kubectl.ExecCommand;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A fault plan prints, parses back, and replays to the same trace. */
class FaultPlanReplayTest {
  private static final ExecCommand COMMAND = ExecCommand.of("default", "web", "sh", "-c",
      "echo started; sleep 3; echo done");

  @ParameterizedTest
  @ValueSource(strings = {
      "kubelet restart at phase process-running",
      "link apiserver-kubelet toward-client latency 200ms jitter 50ms at time 0s for 10s\n"
          + "process killed SIGTERM at time 2s",
      "link kubelet-streaming toward-client reset at byte 40 toward-client",
      "link client-apiserver slicer 7 variation 3 delay 5ms at connection 1\n"
          + "containerd restart downtime 1s at phase output-flowing",
      "mount /tmp full bytes at time 0s for 1s\nkubelet slow 2s at time 0s for 3s",
  })
  void aPrintedPlanReplaysToTheSameTrace(String text) {
    FaultPlan plan = FaultPlan.parse(text);
    FaultPlan replayed = FaultPlan.parse(plan.print());

    String first = run(plan);
    String second = run(replayed);

    assertThat(replayed).isEqualTo(plan);
    assertThat(second).isEqualTo(first);
    assertThat(first).contains(Phase.FAULT_FIRED.label());
  }

  /** The trace of one exec under {@code plan} on a cluster of its own, faults ended and the cluster idle. */
  private static String run(FaultPlan plan) {
    try (SimCluster cluster = Chains.webCluster()) {
      SimExec exec = cluster.startExec(COMMAND, plan);
      exec.await();
      cluster.endFaults();
      cluster.runUntilIdle(Duration.ofHours(1));
      assertThat(cluster.trace().events()).extracting(TraceEvent::detail)
          .anyMatch(d -> d.startsWith("fault "));
      return cluster.trace().render();
    }
  }
}
