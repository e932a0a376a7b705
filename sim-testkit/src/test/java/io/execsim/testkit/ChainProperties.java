package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.ComponentName;
import io.execsim.core.fault.ContainerdEffect;
import io.execsim.core.fault.FaultPlan;
import io.execsim.core.fault.LinkEffect;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fault.ProcessEffect;
import io.execsim.core.fault.Target;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.Signal;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.jqwik.Commands;
import io.execsim.testkit.jqwik.FaultPlans;
import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What must hold for every fault plan, on the whole chain: the properties execsim's users rely on when they test
 * their own code under generated faults. Each try runs one exec under a generated plan on a fresh cluster. The
 * seeds are fixed so that the build is reproducible; remove one to explore new plans.
 */
class ChainProperties {
  /** Longer than any timeout of the chain an exec can meet (2 min runtime requests, 30 s stream creation). */
  private static final Duration BOUND = Duration.ofMinutes(10);
  private static final ExecCommand ECHO = ExecCommand.of("default", "web", "echo", "hi");

  @Provide
  Arbitrary<FaultPlan> plans() {
    return FaultPlans.plans();
  }

  @Provide
  Arbitrary<ExecCommand> commands() {
    return Commands.commands();
  }

  @Property(tries = 200, seed = "42")
  void noPlanEverReportsSuccessWithoutRunning(@ForAll("commands") ExecCommand command,
      @ForAll("plans") FaultPlan plan) {
    try (SimCluster cluster = Chains.webCluster()) {
      Optional<ExecOutcome> o = cluster.startExec(command, plan).outcomeWithin(BOUND);
      o.ifPresent(outcome -> assertThat(outcome.classification())
          .isNotEqualTo(OutcomeClass.REPORTED_SUCCESS_WITHOUT_RUNNING));
    }
  }

  @Property(tries = 200, seed = "42")
  void everyExecEndsOnceItsFaultsEndUnlessItsProcessNeverExits(@ForAll("commands") ExecCommand command,
      @ForAll("plans") FaultPlan plan) {
    try (SimCluster cluster = Chains.webCluster()) {
      SimExec exec = cluster.startExec(command, plan);
      boolean ended = exec.outcomeWithin(BOUND).isPresent();
      if (!ended) {
        cluster.endFaults();
        ended = exec.outcomeWithin(BOUND).isPresent();
      }
      if (!ended) {
        // the real kubectl waits as long for a process that never exits; nothing else may hang
        assertThat(plan.faults()).as("a hang needs a process that never exits")
            .anyMatch(f -> f.effect() instanceof ProcessEffect.NeverExits);
        assertThat(exec.truth().isRunning()).as("the process kubectl waits for runs").isTrue();
      }
    }
  }

  @Property(tries = 100, seed = "42")
  void theSameSeedAndPlanGiveTheSameTrace(@ForAll("commands") ExecCommand command,
      @ForAll("plans") FaultPlan plan) {
    assertThat(trace(command, plan)).isEqualTo(trace(command, plan));
  }

  @Property(tries = 200, seed = "42")
  void afterAnyPlanNothingIsLeftAndAFreshExecSucceeds(@ForAll("commands") ExecCommand command,
      @ForAll("plans") FaultPlan plan) {
    try (SimCluster cluster = Chains.webCluster()) {
      SimExec exec = cluster.startExec(command, plan);
      exec.outcomeWithin(BOUND);
      cluster.endFaults();
      // a process that never exits is ended as its user would end it
      exec.process().filter(p -> p.isRunning() && neverExits(plan)).ifPresent(p -> exec.signal(Signal.SIGKILL));
      cluster.runUntilIdle(Duration.ofHours(5));

      if (!leaksLikeTheRealChain(plan)) {
        assertThat(cluster.leftovers()).as("left behind").isEmpty();
      }
      assertThat(cluster.startExec(ECHO, FaultPlan.of()).outcomeWithin(BOUND)).as("a fresh exec")
          .hasValueSatisfying(o -> assertThat(o.classification()).isEqualTo(OutcomeClass.SUCCEEDED));
    }
  }

  private static String trace(ExecCommand command, FaultPlan plan) {
    try (SimCluster cluster = Chains.webCluster()) {
      cluster.startExec(command, plan).outcomeWithin(BOUND);
      cluster.endFaults();
      cluster.runUntilIdle(Duration.ofHours(5));
      return cluster.trace().render();
    }
  }

  private static boolean neverExits(FaultPlan plan) {
    return plan.faults().stream().anyMatch(f -> f.effect() instanceof ProcessEffect.NeverExits);
  }

  /**
   * Whether the plan breaks a hop whose real counterpart leaves files behind, as the direct fault tests show:
   * containerd dying under an exec leaves its FIFO directory, the shim dying during the Exec call leaves go-runc's
   * temp file, and a full or read-only state dir keeps containerd from removing the FIFO directory.
   */
  private static boolean leaksLikeTheRealChain(FaultPlan plan) {
    return plan.faults().stream().anyMatch(f -> f.effect() instanceof ContainerdEffect.Down
        || f.effect() instanceof ContainerdEffect.Restart
        || f.target().equals(Target.component(ComponentName.SHIM))
        || f.target().equals(Target.link(LinkName.CONTAINERD_SHIM)) && f.effect() instanceof LinkEffect.Reset
        || f.target() instanceof Target.Mount m && m.path().startsWith("/run/containerd"));
  }
}
