package io.execsim.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.core.fault.KubeletEffect;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.jqwik.ExecSimProperties;
import io.execsim.testkit.jqwik.FaultPlans;
import io.execsim.testkit.jqwik.TargetKind;
import io.execsim.testkit.junit.SimulatedCluster;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The same promise for the operator that trusts the exec's report, under faults of the kubelet: it fails. Not run
 * by the build on its own (its name is no test's); {@link ChaosExampleTest} runs it and checks how it fails.
 */
@ExecSimProperties
class NaiveOperatorCheck {

  @Property(tries = 100, seed = "7")
  void neverCallsAnInjectedExperimentFailed(@ForAll("kubeletFaults") FaultPlan plan,
      @SimulatedCluster(factory = "cluster") SimCluster cluster) {
    InjectionCheck.Result r = InjectionCheck.run(new NaiveOperator(), cluster, plan);

    assertThat(r.holds()).as("reported %s with %s in the container", r.reported(), r.injected()).isTrue();
  }

  /** A node under maintenance: its kubelet restarts, slows down, or refuses the apiserver for a while. */
  @Provide
  Arbitrary<FaultPlan> kubeletFaults() {
    return FaultPlans.plans().onlyOn(TargetKind.KUBELET)
        .filter(p -> p.faults().stream().noneMatch(f -> f.effect() instanceof KubeletEffect.Down));
  }

  SimCluster.Builder cluster() {
    return InjectionCheck.cluster();
  }
}
