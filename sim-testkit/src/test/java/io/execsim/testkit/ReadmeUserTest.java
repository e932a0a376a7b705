package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.junit.SimulatedCluster;
import org.junit.jupiter.api.Test;

/** The user test of the README, as it stands there. */
class ReadmeUserTest {

  @Test
  void kubectlReportsSuccessWhileTheCommandStillRuns(@SimulatedCluster SimCluster cluster) {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sh", "-c", "sleep 5; touch /tmp/done"),
        FaultPlan.parse("kubelet restart at phase process-running"));

    assertThat(exec.outcome()).printedNothing().exitedWith(0)
        .isClassifiedAs(OutcomeClass.REPORTED_SUCCESS_UNFINISHED)
        .processStillRuns();
  }
}
