package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.kubectl.ExecCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fault example of the README, as it stands there. */
class ReadmeFaultTest {

  @Test
  void readmeFaultExampleRuns() {
    try (SimCluster cluster = SimCluster.builder().seed(3)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build()) {
      SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sh", "-c", "sleep 5; touch /tmp/done"));
      cluster.clock().advance(Duration.ofSeconds(1));

      cluster.kubelet("node-1").restart();
      ExecOutcome o = exec.outcome();

      assertThat(o.observed().exitCode()).isZero();
      assertThat(o.observed().stdout()).isEmpty();
      assertThat(o.truth().isRunning()).isTrue();
      assertThat(o.classification()).isEqualTo(OutcomeClass.REPORTED_SUCCESS_UNFINISHED);
    }
  }
}
