package io.execsim.testkit.junit;

import static org.assertj.core.api.Assertions.fail;

import io.execsim.core.fault.FaultPlan;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.SimCluster;
import org.junit.jupiter.api.Test;

/**
 * A fixture in a file of its own, named in a replay as a user's test class is, that fails on purpose after an exec
 * under a fault plan; run only by {@link FailureReportTest}.
 */
@ExtensionFixtures.Fixture
class TopLevelFixture {
  /** The plan of the fixture's exec: a slow link that changes no outcome. */
  static final FaultPlan PLAN = FaultPlan.parse("link client-apiserver latency 10ms");

  @SimulatedCluster(seed = 9)
  SimCluster cluster;

  @Test
  void execUnderAPlanFails() {
    ExtensionFixtures.CLUSTERS.add(cluster);
    cluster.execWithOutcome(ExecCommand.of("default", "web", "true"));
    cluster.execWithOutcome(ExecCommand.of("default", "web", "true"), PLAN);
    fail("failing on purpose");
  }
}
