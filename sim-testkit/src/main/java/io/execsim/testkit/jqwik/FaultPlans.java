package io.execsim.testkit.jqwik;

import java.util.EnumSet;

/**
 * Entry points to jqwik arbitraries of fault plans and faults: every plan they generate is valid, prints and parses
 * back, and shrinks toward fewer and plainer faults.
 *
 * <pre>{@code
 * @Property(tries = 50)
 * void echoSurvivesOrFailsCleanly(@ForAll("plans") FaultPlan plan, @SimulatedCluster SimCluster cluster) { ... }
 *
 * @Provide
 * Arbitrary<FaultPlan> plans() {
 *   return FaultPlans.plans().onlyOn(TargetKind.KUBELET, TargetKind.CONTAINERD);
 * }
 * }</pre>
 */
public final class FaultPlans {
  /** How many faults a plan of {@link #plans()} has at most. */
  public static final int DEFAULT_MAX_FAULTS = 3;

  private FaultPlans() {
  }

  /** Plans of 0 to {@value #DEFAULT_MAX_FAULTS} faults on every kind of target. */
  public static FaultPlanArbitrary plans() {
    return plans(DEFAULT_MAX_FAULTS);
  }

  /** Plans of 0 to {@code maxFaults} faults on every kind of target. */
  public static FaultPlanArbitrary plans(int maxFaults) {
    return new FaultPlanArbitrary(faults(), maxFaults);
  }

  /** Single faults on every kind of target. */
  public static FaultArbitrary faults() {
    return new FaultArbitrary(EnumSet.allOf(TargetKind.class));
  }
}
