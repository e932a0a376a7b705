package io.execsim.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.conformance.sim.SimSide;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated side alone: every scenario runs to its end, and again to the same recording. */
class SimConformanceTest {

  @Test
  void everyScenarioRunsToItsEndTheSameWayTwice() {
    List<Scenario> scenarios = ScenarioFile.read(Conformance.SCENARIOS);

    Recording first = ScenarioRunner.runAll(scenarios, new SimSide());
    Recording second = ScenarioRunner.runAll(scenarios, new SimSide());

    assertThat(first.scenarios()).allSatisfy(r -> assertThat(r.error()).as(r.name()).isNull());
    assertThat(second).isEqualTo(first);
  }
}
