package io.execsim.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.jqwik.ExecSimProperties;
import io.execsim.testkit.jqwik.FaultPlans;
import io.execsim.testkit.junit.SimulatedCluster;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fixed operator keeps its promise under every generated fault plan. */
@ExecSimProperties
class CarefulOperatorProperties {

  @Property(tries = 100, seed = "42")
  void neverCallsAnInjectedExperimentFailedNorInjectsTwice(@ForAll("plans") FaultPlan plan,
      @SimulatedCluster(factory = "cluster") SimCluster cluster) {
    InjectionCheck.Result r = InjectionCheck.run(new CarefulOperator(), cluster, plan);

    assertThat(r.holds()).as("reported %s with %s in the container", r.reported(), r.injected()).isTrue();
  }

  @Provide
  Arbitrary<FaultPlan> plans() {
    return FaultPlans.plans();
  }

  SimCluster.Builder cluster() {
    return InjectionCheck.cluster();
  }
}
