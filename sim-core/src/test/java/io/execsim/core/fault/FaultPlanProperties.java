package io.execsim.core.fault;

import io.execsim.core.error.GoDuration;
import io.execsim.core.error.GoText;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.Errno;
import io.execsim.core.process.Signal;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class FaultPlanProperties {
  @Property(tries = 1000)
  void printedPlanParsesBackEqual(@ForAll("plans") FaultPlan plan) {
    assertThat(FaultPlan.parse(plan.print())).isEqualTo(plan);
  }

  @Property(tries = 1000)
  void everyFaultPrintsAsOneLineThatParsesAlone(@ForAll("faults") Fault fault) {
    assertThat(fault.print()).doesNotContain("\n");
    assertThat(FaultPlan.parse(fault.print()).faults()).containsExactly(fault);
  }

  @Property(tries = 500)
  void durationsPrintAsGoAndParseBack(@ForAll("durations") Duration d) {
    assertThat(GoDuration.parse(GoText.duration(d))).isEqualTo(d);
  }

  @Property(tries = 500)
  void sizesPrintAndParseBack(@ForAll("sizes") long size) {
    assertThat(ByteSize.parse(ByteSize.format(size))).isEqualTo(size);
  }

  @Provide
  Arbitrary<FaultPlan> plans() {
    return faults().list().ofMaxSize(6)
        .filter(FaultPlanProperties::keepsItsStreamsOpen)
        .map(FaultPlan::new);
  }

  @Provide
  Arbitrary<Fault> faults() {
    return targets().flatMap(target -> Combinators
        .combine(effects(target), triggers(target))
        .flatAs((effect, trigger) -> faultDurations(effect).map(d -> new Fault(target, effect, trigger, d))));
  }

  @Provide
  Arbitrary<Duration> durations() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 10_000).map(Duration::ofMillis),
        Arbitraries.longs().between(0, 3_000_000_000_000L).map(Duration::ofNanos),
        Arbitraries.longs().between(0, 400_000).map(Duration::ofSeconds),
        Arbitraries.of(Duration.ZERO, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofNanos(999)));
  }

  @Provide
  Arbitrary<Long> sizes() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 1_000_000),
        Arbitraries.longs().between(0, 4096).map(n -> n * 1024),
        Arbitraries.longs().between(0, 64).map(n -> n << 20),
        Arbitraries.longs().between(0, 8).map(n -> n << 30));
  }

  private static boolean keepsItsStreamsOpen(List<Fault> faults) {
    try {
      new FaultPlan(faults);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Arbitrary<Target> targets() {
    Arbitrary<Target> links = Arbitraries.of(LinkName.class).flatMap(link -> link.kind() == LinkName.Kind.FIFO
        ? Arbitraries.just(Target.link(link))
        : Arbitraries.of(Direction.class).map(way -> Target.link(link, way)));
    Arbitrary<Target> components = Arbitraries.of(ComponentName.class).map(Target::component);
    Arbitrary<Target> mounts = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '0')
        .ofMinLength(1).ofMaxLength(8).list().ofMaxSize(3)
        .map(parts -> Target.mount("/" + String.join("/", parts)));
    return Arbitraries.frequencyOf(
        Tuple.of(4, links), Tuple.of(3, components), Tuple.of(1, mounts),
        Tuple.of(1, Arbitraries.just(Target.process())), Tuple.of(1, Arbitraries.just(Target.container())));
  }

  /** The link effects that fit the target's kind of link, each with its own parameters. */
  private List<Arbitrary<Effect>> linkEffects(Target target) {
    Arbitrary<Long> positive = sizes().filter(n -> n > 0);
    Map<LinkEffect, Arbitrary<? extends LinkEffect>> byExample = new LinkedHashMap<>();
    byExample.put(new LinkEffect.Latency(Duration.ZERO, Duration.ZERO), durations().flatMap(delay -> Arbitraries
        .longs().between(0, delay.toNanos()).map(jitter -> new LinkEffect.Latency(delay, Duration.ofNanos(jitter)))));
    byExample.put(new LinkEffect.Bandwidth(1), positive.map(LinkEffect.Bandwidth::new));
    byExample.put(new LinkEffect.Stall(), Arbitraries.just(new LinkEffect.Stall()));
    byExample.put(new LinkEffect.Reset(), Arbitraries.just(new LinkEffect.Reset()));
    byExample.put(new LinkEffect.HalfClose(), Arbitraries.just(new LinkEffect.HalfClose()));
    byExample.put(new LinkEffect.Slicer(1, 0, Duration.ZERO), positive.flatMap(average -> Combinators
        .combine(Arbitraries.longs().between(0, average - 1), durations())
        .as((variation, delay) -> new LinkEffect.Slicer(average, variation, delay))));
    byExample.put(new LinkEffect.LimitData(0), sizes().map(LinkEffect.LimitData::new));
    byExample.put(new LinkEffect.CorruptFrame(), Arbitraries.just(new LinkEffect.CorruptFrame()));
    List<Arbitrary<Effect>> fitting = new ArrayList<>();
    // every effect of one kind fits the same links as its example
    byExample.forEach((example, values) -> {
      if (example.appliesTo(target)) {
        fitting.add(values.map(Effect.class::cast));
      }
    });
    return fitting;
  }

  private Arbitrary<Effect> effects(Target target) {
    Arbitrary<Duration> positive = durations().filter(d -> !d.isZero());
    return switch (Scope.of(target)) {
      case LINK -> Arbitraries.oneOf(linkEffects(target));
      case APISERVER -> Arbitraries.<Effect>oneOf(
          Arbitraries.just(new ApiserverEffect.Down()),
          durations().map(ApiserverEffect.Restart::new));
      case KUBELET -> Arbitraries.<Effect>oneOf(
          Arbitraries.of(new KubeletEffect.Down(), new KubeletEffect.Unauthorized(), new KubeletEffect.Forbidden()),
          durations().map(KubeletEffect.Restart::new),
          positive.map(KubeletEffect.Slow::new));
      case STREAMING -> Arbitraries.<Effect>of(new StreamingEffect.TokenExpired(), new StreamingEffect.TokenReused(),
          new StreamingEffect.TooManyInFlight(), new StreamingEffect.StreamsNeverCreated());
      case CONTAINERD -> Arbitraries.<Effect>oneOf(
          Arbitraries.of(new ContainerdEffect.Down(), new ContainerdEffect.DeadlineExceeded()),
          durations().map(ContainerdEffect.Restart::new));
      case SHIM -> Arbitraries.<Effect>of(new ShimEffect.Killed(), new ShimEffect.Hung());
      case RUNC -> Arbitraries.<Effect>oneOf(
          Combinators.combine(Arbitraries.of(Errno.class), Arbitraries.of(RuncEffect.File.class))
              .as(RuncEffect.FailsToStart::new),
          positive.map(RuncEffect.Slow::new));
      case MOUNT -> Arbitraries.<Effect>of(
          new MountEffect.FullBytes(), new MountEffect.FullInodes(), new MountEffect.ReadOnly());
      case PROCESS -> Arbitraries.<Effect>oneOf(
          Arbitraries.of(EnumSet.complementOf(EnumSet.of(Signal.SIGCONT, Signal.SIGSTOP, Signal.SIGWINCH)))
              .map(ProcessEffect.Killed::new),
          Arbitraries.just(new ProcessEffect.NeverExits()),
          Arbitraries.integers().between(0, 255).map(ProcessEffect.ExitsEarly::new));
      case CONTAINER -> Arbitraries.<Effect>of(new ContainerEffect.Stopped(), new ContainerEffect.Paused());
    };
  }

  private Arbitrary<Trigger> triggers(Target target) {
    List<Arbitrary<? extends Trigger>> kinds = new ArrayList<>(List.of(
        Arbitraries.of(Phase.class).map(Trigger::atPhase),
        durations().map(Trigger::atTime),
        Arbitraries.integers().between(1, 20).map(Trigger::atCall),
        Arbitraries.integers().between(1, 20).map(Trigger::atConnection)));
    if (target instanceof Target.Link l && l.link().carriesBytes()) {
      Arbitrary<Direction> ways = l.link().kind() == LinkName.Kind.FIFO
          ? Arbitraries.just(l.direction())
          : Arbitraries.of(Direction.TOWARD_PROCESS, Direction.TOWARD_CLIENT);
      kinds.add(Combinators.combine(sizes(), ways).as(Trigger::atByte));
    }
    return Arbitraries.oneOf(kinds).filter(trigger -> Rules.triggerMismatch(trigger, target).isEmpty());
  }

  private Arbitrary<Duration> faultDurations(Effect effect) {
    return effect.isInstant()
        ? Arbitraries.just(Duration.ZERO)
        : Arbitraries.oneOf(Arbitraries.just(Duration.ZERO), durations());
  }
}
