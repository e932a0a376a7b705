package io.execsim.testkit.jqwik;

import io.execsim.core.error.Errno;
import io.execsim.core.fault.ApiserverEffect;
import io.execsim.core.fault.ComponentName;
import io.execsim.core.fault.ContainerEffect;
import io.execsim.core.fault.ContainerdEffect;
import io.execsim.core.fault.Direction;
import io.execsim.core.fault.Effect;
import io.execsim.core.fault.Fault;
import io.execsim.core.fault.KubeletEffect;
import io.execsim.core.fault.LinkEffect;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fault.MountEffect;
import io.execsim.core.fault.ProcessEffect;
import io.execsim.core.fault.RuncEffect;
import io.execsim.core.fault.ShimEffect;
import io.execsim.core.fault.StreamingEffect;
import io.execsim.core.fault.Target;
import io.execsim.core.fault.Trigger;
import io.execsim.core.process.Signal;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.ArbitraryDecorator;

/**
 * Generates single faults that the {@link Fault} constructor accepts, on the kinds of target it is restricted to
 * ({@link #onlyOn}). Each fault is built target first: an effect of the target's kind, a trigger the target takes,
 * and a duration (0 for the rest of the run, or 1 to 60 s; always 0 for an instant effect).
 *
 * <ul>
 *   <li>Targets: every link in every direction it has, every component, the mounts {@code /tmp} (the shim's temp
 *       dir) and {@code /run/containerd} (containerd's state), the process and the container.
 *   <li>Triggers: the phases an exec through kubectl reaches, {@code client-request} to {@code streams-closed} in
 *       {@link Phase}'s order without {@code cri-exec-sync}; times 0 to 30 s; byte offsets 0 to 64 KiB, counted a
 *       way the link carries; call and connection numbers 1 to 3, where the target takes them.
 * </ul>
 *
 * <p>A failing fault shrinks with jqwik's own shrinking toward the first target kind, target, effect and trigger
 * kind in the plan grammar's order (phase first), the first phase, zero times, offsets and parameters, counts of 1,
 * and durations of 1 s; e.g. a kubelet restart shrinks to {@code kubelet restart at phase client-request}.
 * Immutable: {@link #onlyOn} returns a new arbitrary.
 */
public final class FaultArbitrary extends ArbitraryDecorator<Fault> {
  private static final int MAX_TIME_MILLIS = 30_000;
  private static final long MAX_OFFSET = 64 * 1024;
  private static final int MAX_COUNT = 3;
  private static final int MAX_DURATION_SECONDS = 60;
  private static final int MAX_DELAY_MILLIS = 10_000;
  private static final int MAX_LATENCY_MILLIS = 2_000;
  private static final List<Phase> PHASES = phases();
  private static final List<String> MOUNTS = List.of("/tmp", "/run/containerd");
  // ENOSPC is what a full bundle dir gives (real-runtime.md); EROFS and EIO are what a write there can fail with
  // on a read-only or failing file system, by write(2)
  private static final List<Errno> RUNC_WRITE_ERRORS = List.of(Errno.ENOSPC, Errno.EROFS, Errno.EIO);
  // the signals whose default action ends a process, signal(7), SIGKILL first as the plainest
  private static final List<Signal> KILLING = List.of(Signal.SIGKILL, Signal.SIGTERM, Signal.SIGINT, Signal.SIGHUP,
      Signal.SIGQUIT, Signal.SIGABRT, Signal.SIGPIPE);

  private final List<TargetKind> kinds;

  FaultArbitrary(Set<TargetKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("a fault needs at least one kind of target: " + kinds);
    }
    this.kinds = List.copyOf(EnumSet.copyOf(kinds));
  }

  /**
   * This arbitrary with faults on {@code kinds} only, e.g. {@code onlyOn(TargetKind.KUBELET, TargetKind.LINK)}; it
   * replaces the kinds of an earlier call.
   */
  public FaultArbitrary onlyOn(TargetKind... kinds) {
    return new FaultArbitrary(kindsOf(kinds));
  }

  private static Set<TargetKind> kindsOf(TargetKind... kinds) {
    Set<TargetKind> set = EnumSet.noneOf(TargetKind.class);
    set.addAll(Arrays.asList(kinds));
    return set;
  }

  /** The kinds of target the faults act on, in {@link TargetKind}'s order. */
  public List<TargetKind> kinds() {
    return kinds;
  }

  @Override
  protected Arbitrary<Fault> arbitrary() {
    return Arbitraries.of(kinds)
        .flatMap(FaultArbitrary::targets)
        .flatMap(target -> Combinators.combine(effects(target), triggers(target))
            .flatAs((effect, trigger) -> durations(effect).map(d -> new Fault(target, effect, trigger, d))));
  }

  private static List<Phase> phases() {
    List<Phase> reached = new ArrayList<>(EnumSet.range(Phase.CLIENT_REQUEST, Phase.STREAMS_CLOSED));
    // an exec through kubectl calls the CRI's Exec, never ExecSync
    reached.remove(Phase.CRI_EXEC_SYNC);
    return List.copyOf(reached);
  }

  private static Arbitrary<Target> targets(TargetKind kind) {
    return switch (kind) {
      case LINK -> Arbitraries.of(LinkName.class).flatMap(link -> link.kind() == LinkName.Kind.FIFO
          ? Arbitraries.just(Target.link(link))
          : Arbitraries.of(Direction.BOTH, Direction.TOWARD_PROCESS, Direction.TOWARD_CLIENT)
              .map(way -> Target.link(link, way)));
      case APISERVER -> Arbitraries.just(Target.component(ComponentName.APISERVER));
      case KUBELET -> Arbitraries.just(Target.component(ComponentName.KUBELET));
      case STREAMING -> Arbitraries.just(Target.component(ComponentName.STREAMING));
      case CONTAINERD -> Arbitraries.just(Target.component(ComponentName.CONTAINERD));
      case SHIM -> Arbitraries.just(Target.component(ComponentName.SHIM));
      case RUNC -> Arbitraries.just(Target.component(ComponentName.RUNC));
      case MOUNT -> Arbitraries.of(MOUNTS).map(Target::mount);
      case PROCESS -> Arbitraries.just(Target.process());
      case CONTAINER -> Arbitraries.just(Target.container());
    };
  }

  private static Arbitrary<Effect> effects(Target target) {
    return switch (TargetKind.of(target)) {
      case LINK -> Arbitraries.oneOf(linkEffects(target));
      case APISERVER -> Arbitraries.<Effect>oneOf(List.of(
          Arbitraries.just(new ApiserverEffect.Down()),
          millis(0, MAX_DELAY_MILLIS).map(ApiserverEffect.Restart::new)));
      case KUBELET -> Arbitraries.<Effect>oneOf(List.of(
          Arbitraries.just(new KubeletEffect.Down()),
          millis(0, MAX_DELAY_MILLIS).map(KubeletEffect.Restart::new),
          Arbitraries.just(new KubeletEffect.Unauthorized()),
          Arbitraries.just(new KubeletEffect.Forbidden()),
          millis(1, MAX_DELAY_MILLIS).map(KubeletEffect.Slow::new)));
      case STREAMING -> Arbitraries.of(new StreamingEffect.TokenExpired(), new StreamingEffect.TokenReused(),
          new StreamingEffect.TooManyInFlight(), new StreamingEffect.StreamsNeverCreated());
      case CONTAINERD -> Arbitraries.<Effect>oneOf(List.of(
          Arbitraries.just(new ContainerdEffect.Down()),
          millis(0, MAX_DELAY_MILLIS).map(ContainerdEffect.Restart::new),
          Arbitraries.just(new ContainerdEffect.DeadlineExceeded())));
      case SHIM -> Arbitraries.of(new ShimEffect.Killed(), new ShimEffect.Hung());
      case RUNC -> Arbitraries.<Effect>oneOf(List.of(
          Combinators.combine(Arbitraries.of(RUNC_WRITE_ERRORS), Arbitraries.of(RuncEffect.File.class))
              .as(RuncEffect.FailsToStart::new),
          millis(1, MAX_DELAY_MILLIS).map(RuncEffect.Slow::new)));
      case MOUNT -> Arbitraries.of(new MountEffect.FullBytes(), new MountEffect.FullInodes(),
          new MountEffect.ReadOnly());
      case PROCESS -> Arbitraries.<Effect>oneOf(List.of(
          Arbitraries.of(KILLING).map(ProcessEffect.Killed::new),
          Arbitraries.just(new ProcessEffect.NeverExits()),
          Arbitraries.integers().between(0, 255).map(ProcessEffect.ExitsEarly::new)));
      case CONTAINER -> Arbitraries.of(new ContainerEffect.Stopped(), new ContainerEffect.Paused());
    };
  }

  /** The link effects that fit the target's kind of link, in the plan grammar's order. */
  private static List<Arbitrary<Effect>> linkEffects(Target target) {
    Map<LinkEffect, Arbitrary<? extends LinkEffect>> byExample = new LinkedHashMap<>();
    // jitter may not exceed the delay, so it is cut to it; both shrink on their own toward 0
    byExample.put(new LinkEffect.Latency(Duration.ZERO, Duration.ZERO), Combinators
        .combine(Arbitraries.integers().between(0, MAX_LATENCY_MILLIS),
            Arbitraries.integers().between(0, MAX_LATENCY_MILLIS))
        .as((delay, jitter) -> new LinkEffect.Latency(Duration.ofMillis(delay),
            Duration.ofMillis(Math.min(delay, jitter)))));
    byExample.put(new LinkEffect.Bandwidth(1), Arbitraries.integers().between(1, 1024)
        .map(kib -> new LinkEffect.Bandwidth(kib * 1024L)));
    byExample.put(new LinkEffect.Stall(), Arbitraries.just(new LinkEffect.Stall()));
    byExample.put(new LinkEffect.Reset(), Arbitraries.just(new LinkEffect.Reset()));
    byExample.put(new LinkEffect.HalfClose(), Arbitraries.just(new LinkEffect.HalfClose()));
    byExample.put(new LinkEffect.Slicer(1, 0, Duration.ZERO), Combinators
        .combine(Arbitraries.longs().between(1, 1024), Arbitraries.longs().between(0, 1023),
            Arbitraries.integers().between(0, 50))
        .as((average, variation, delay) -> new LinkEffect.Slicer(average, Math.min(variation, average - 1),
            Duration.ofMillis(delay))));
    byExample.put(new LinkEffect.LimitData(0), Arbitraries.longs().between(0, MAX_OFFSET)
        .map(LinkEffect.LimitData::new));
    byExample.put(new LinkEffect.CorruptFrame(), Arbitraries.just(new LinkEffect.CorruptFrame()));
    List<Arbitrary<Effect>> fitting = new ArrayList<>();
    // every effect of one kind fits the same kinds of link as its example
    byExample.forEach((example, values) -> {
      if (example.appliesTo(target)) {
        fitting.add(values.map(Effect.class::cast));
      }
    });
    return fitting;
  }

  /** The kinds of trigger the target takes, phase first, as the fault rules of sim-core allow them. */
  private static Arbitrary<Trigger> triggers(Target target) {
    List<Arbitrary<Trigger>> kinds = new ArrayList<>();
    kinds.add(Arbitraries.of(PHASES).map(Trigger::atPhase));
    kinds.add(Arbitraries.integers().between(0, MAX_TIME_MILLIS).map(ms -> Trigger.atTime(Duration.ofMillis(ms))));
    if (target instanceof Target.Link l && l.link().carriesBytes()) {
      kinds.add(Combinators.combine(Arbitraries.longs().between(0, MAX_OFFSET), Arbitraries.of(ways(l)))
          .as(Trigger::atByte));
    }
    if (takesCalls(target)) {
      kinds.add(Arbitraries.integers().between(1, MAX_COUNT).map(Trigger::atCall));
    }
    if (takesConnections(target)) {
      kinds.add(Arbitraries.integers().between(1, MAX_COUNT).map(Trigger::atConnection));
    }
    return Arbitraries.oneOf(kinds);
  }

  /** The ways a byte offset can be counted on the link, the target's own way first. */
  private static List<Direction> ways(Target.Link link) {
    if (link.link().kind() == LinkName.Kind.FIFO) {
      // a FIFO carries bytes its own way only
      return List.of(link.link().defaultDirection());
    }
    return link.direction() == Direction.TOWARD_CLIENT
        ? List.of(Direction.TOWARD_CLIENT, Direction.TOWARD_PROCESS)
        : List.of(Direction.TOWARD_PROCESS, Direction.TOWARD_CLIENT);
  }

  /** Whether calls reach the target: a call link, containerd, the shim or runc. */
  private static boolean takesCalls(Target target) {
    if (target instanceof Target.Link l) {
      return l.link().kind() == LinkName.Kind.CALLS;
    }
    return target instanceof Target.Component c && Set.of(ComponentName.CONTAINERD, ComponentName.SHIM,
        ComponentName.RUNC).contains(c.name());
  }

  /** Whether the target has connections: a byte stream, a call link, or a component that accepts them. */
  private static boolean takesConnections(Target target) {
    if (target instanceof Target.Link l) {
      return l.link().kind() != LinkName.Kind.FIFO;
    }
    return target instanceof Target.Component c && c.name() != ComponentName.RUNC;
  }

  /** A lasting effect's duration, 1 to 60 s first, then 0 for the rest of the run; an instant effect's, 0. */
  private static Arbitrary<Duration> durations(Effect effect) {
    if (effect.isInstant()) {
      return Arbitraries.just(Duration.ZERO);
    }
    return Arbitraries.oneOf(List.of(
        Arbitraries.integers().between(1, MAX_DURATION_SECONDS).map(Duration::ofSeconds),
        Arbitraries.just(Duration.ZERO)));
  }

  private static Arbitrary<Duration> millis(int min, int max) {
    return Arbitraries.integers().between(min, max).map(Duration::ofMillis);
  }

  @Override
  public String toString() {
    return "FaultArbitrary" + kinds;
  }
}
