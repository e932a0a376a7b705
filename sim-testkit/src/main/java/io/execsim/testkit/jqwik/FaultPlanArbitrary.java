package io.execsim.testkit.jqwik;

import io.execsim.core.fault.Fault;
import io.execsim.core.fault.FaultPlan;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.arbitraries.ArbitraryDecorator;

/**
 * Generates fault plans of 0 to {@link #maxFaults()} faults from a {@link FaultArbitrary}, each plan one that
 * {@link FaultPlan}'s checks accept. A failing plan shrinks to fewer faults, then each fault as
 * {@link FaultArbitrary} says. Immutable: {@link #onlyOn} returns a new arbitrary.
 *
 * <pre>{@code
 * @Provide
 * Arbitrary<FaultPlan> kubeletTrouble() {
 *   return FaultPlans.plans(2).onlyOn(TargetKind.KUBELET, TargetKind.LINK);
 * }
 * }</pre>
 */
public final class FaultPlanArbitrary extends ArbitraryDecorator<FaultPlan> {
  private final FaultArbitrary faults;
  private final int maxFaults;

  FaultPlanArbitrary(FaultArbitrary faults, int maxFaults) {
    if (maxFaults < 0) {
      throw new IllegalArgumentException("a plan's fault count must not be negative: " + maxFaults);
    }
    this.faults = faults;
    this.maxFaults = maxFaults;
  }

  /** This arbitrary with faults on {@code kinds} only; it replaces the kinds of an earlier call. */
  public FaultPlanArbitrary onlyOn(TargetKind... kinds) {
    return new FaultPlanArbitrary(faults.onlyOn(kinds), maxFaults);
  }

  /** The most faults a plan has. */
  public int maxFaults() {
    return maxFaults;
  }

  /** The kinds of target the faults act on, in {@link TargetKind}'s order. */
  public List<TargetKind> kinds() {
    return faults.kinds();
  }

  @Override
  protected Arbitrary<FaultPlan> arbitrary() {
    return faults.list().ofMaxSize(maxFaults)
        .filter(FaultPlanArbitrary::formsAPlan)
        .map(FaultPlan::new);
  }

  /** Whether the plan's checks take the faults: no byte offset past where an earlier fault closes its stream. */
  private static boolean formsAPlan(List<Fault> faults) {
    try {
      new FaultPlan(faults);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "FaultPlanArbitrary(max " + maxFaults + " faults on " + faults.kinds() + ")";
  }
}
