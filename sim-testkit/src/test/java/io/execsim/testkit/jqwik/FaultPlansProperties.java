package io.execsim.testkit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.fault.Fault;
import io.execsim.core.fault.FaultPlan;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fault.Target;
import io.execsim.core.fault.Trigger;
import io.execsim.core.trace.Phase;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.ContainerImage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/** The arbitraries generate only valid plans and commands, within their ranges, of every kind. */
class FaultPlansProperties {
  private static final Set<Phase> NOT_REACHED = EnumSet.of(Phase.CRI_EXEC_SYNC, Phase.EXEC_FAILED,
      Phase.FILE_WRITTEN, Phase.FILE_REMOVED, Phase.FAULT_FIRED);
  private static final long KIB = 1024;

  @Property(tries = 1000)
  void everyPlanIsValidAndPrintsAndParsesBack(@ForAll("plans") FaultPlan plan) {
    assertThat(plan.faults()).hasSizeLessThanOrEqualTo(FaultPlans.DEFAULT_MAX_FAULTS);
    assertThat(new FaultPlan(plan.faults())).isEqualTo(plan);
    assertThat(FaultPlan.parse(plan.print())).isEqualTo(plan);
    plan.faults().forEach(FaultPlansProperties::keepsTheRanges);
  }

  @Property(tries = 300)
  void onlyOnKeepsToTheKindsNamed(@ForAll("kubeletAndMounts") FaultPlan plan) {
    assertThat(plan.faults()).extracting(f -> TargetKind.of(f.target()))
        .allMatch(EnumSet.of(TargetKind.KUBELET, TargetKind.MOUNT)::contains);
    assertThat(FaultPlan.parse(plan.print())).isEqualTo(plan);
  }

  @Property(tries = 300)
  void planSizeKeepsToItsMaximum(@ForAll("singleFaults") FaultPlan plan) {
    assertThat(plan.faults()).hasSizeLessThanOrEqualTo(1);
  }

  @Property(tries = 2000)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void everyKindOfTargetAndTriggerTurnsUp(@ForAll("faults") Fault fault) {
    Statistics.label("target").collect(TargetKind.of(fault.target()))
        .coverage(c -> EnumSet.allOf(TargetKind.class).forEach(k -> c.check(k).count(n -> n > 0)));
    Statistics.label("trigger").collect(fault.trigger().getClass().getSimpleName())
        .coverage(c -> List.of("AtPhase", "AtTime", "AtByte", "AtCall", "AtConnection")
            .forEach(kind -> c.check(kind).count(n -> n > 0)));
    Statistics.label("lasting").collect(fault.effect().isInstant() ? "instant" : fault.lastsForTheRun()
        ? "for the run" : "for a while")
        .coverage(c -> List.of("instant", "for the run", "for a while").forEach(k -> c.check(k).count(n -> n > 0)));
  }

  @Property(tries = 500)
  void everyCommandExecsABusyboxProgramInTheWebPod(@ForAll("commands") ExecCommand command) {
    assertThat(command.namespace()).isEqualTo("default");
    assertThat(command.pod()).isEqualTo("web");
    assertThat(command.container()).contains("app");
    assertThat(ContainerImage.BUSYBOX).contains(command.command().get(0));
    assertThat(command.tty()).isFalse();
    assertThat(command.stdin().isPresent()).isEqualTo(command.command().equals(List.of("cat")));
  }

  @Example
  void onlyOnWithoutKindsIsRefused() {
    assertThatThrownBy(() -> FaultPlans.plans().onlyOn())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a fault needs at least one kind of target: []");
  }

  @Example
  void aNegativeFaultCountIsRefused() {
    assertThatThrownBy(() -> FaultPlans.plans(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a plan's fault count must not be negative: -1");
  }

  @Provide
  Arbitrary<FaultPlan> plans() {
    return FaultPlans.plans();
  }

  @Provide
  Arbitrary<FaultPlan> kubeletAndMounts() {
    return FaultPlans.plans().onlyOn(TargetKind.KUBELET, TargetKind.MOUNT);
  }

  @Provide
  Arbitrary<FaultPlan> singleFaults() {
    return FaultPlans.plans(1);
  }

  @Provide
  Arbitrary<Fault> faults() {
    return FaultPlans.faults();
  }

  @Provide
  Arbitrary<ExecCommand> commands() {
    return Commands.commands();
  }

  /** The trigger, the duration and a mount's path lie in the ranges the arbitrary promises. */
  private static void keepsTheRanges(Fault fault) {
    Trigger trigger = fault.trigger();
    if (trigger instanceof Trigger.AtPhase p) {
      assertThat(p.phase()).isNotIn(NOT_REACHED);
    } else if (trigger instanceof Trigger.AtTime t) {
      assertThat(t.sinceStart()).isBetween(Duration.ZERO, Duration.ofSeconds(30));
    } else if (trigger instanceof Trigger.AtByte b) {
      assertThat(b.offset()).isBetween(0L, 64 * KIB);
      Target.Link link = (Target.Link) fault.target();
      if (link.link().kind() == LinkName.Kind.FIFO) {
        assertThat(b.direction()).isEqualTo(link.link().defaultDirection());
      }
    } else if (trigger instanceof Trigger.AtCall c) {
      assertThat(c.n()).isBetween(1, 3);
    } else if (trigger instanceof Trigger.AtConnection c) {
      assertThat(c.n()).isBetween(1, 3);
    }
    Duration d = fault.duration();
    if (fault.effect().isInstant()) {
      assertThat(d).isZero();
    } else if (!d.isZero()) {
      assertThat(d.toSeconds()).isBetween(1L, 60L);
      assertThat(d.toNanosPart()).isZero();
    }
    if (fault.target() instanceof Target.Mount m) {
      assertThat(m.path()).isIn("/tmp", "/run/containerd");
    }
  }
}
