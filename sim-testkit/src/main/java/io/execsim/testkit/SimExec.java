package io.execsim.testkit;

import io.execsim.core.fault.Fault;
import io.execsim.core.fault.FaultPlan;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.FileChanges;
import io.execsim.core.outcome.GroundTruth;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.Scheduler;
import io.execsim.kubectl.KubectlResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One {@code kubectl exec} started on a {@link SimCluster}, followed from both ends: the client's result, and the
 * ground truth on the node (the process runc started for it, how it ended or that it still runs, and what changed
 * in the container's root file system since the exec began). Start it with {@link SimCluster#startExec}, break
 * hops while it runs, then take its {@link #outcome()}; the truth can be read again later, when the process the
 * client no longer waits for has ended.
 *
 * <p>The exec's process is the first {@code runc exec} in the target container, after the exec began, whose
 * arguments are the command's. TODO: two execs of the same command into one container at the same time may be
 * told apart wrongly. File changes are the container's, whoever made them.
 *
 * <p>Deterministic clusters drive the simulation in {@link #await()} and {@link #outcome()}; the other methods read
 * the state as it is. Use it from the thread that drives the cluster.
 */
public final class SimExec {
  private final Scheduler scheduler;
  private final CompletableFuture<KubectlResult> result;
  private final Optional<Target> target;
  private final int mark;
  private final Map<String, String> before;
  private final FaultInjector faults;

  /** Where the exec's process runs, as far as the cluster knows it when the exec starts. */
  record Target(SimNode node, String containerId, List<String> command) {
  }

  /**
   * Takes the truth's baseline of {@code target}, arms the faults of {@code plan}, then starts the client with
   * {@code start}.
   */
  SimExec(SimCluster cluster, Optional<Target> target, FaultPlan plan,
      Supplier<CompletionStage<KubectlResult>> start) {
    this.scheduler = cluster.scheduler();
    this.target = target;
    this.mark = target.map(t -> t.node().runcExecs().size()).orElse(0);
    this.before = target.map(t -> t.node().snapshot(t.containerId())).orElse(Map.of());
    this.faults = new FaultInjector(cluster, plan, target, this::process);
    if (!plan.faults().isEmpty()) {
      cluster.armed(faults);
      faults.arm();
    }
    this.result = start.get().toCompletableFuture();
  }

  /** The fault plan the exec runs under; empty without one. */
  public FaultPlan plan() {
    return faults.plan();
  }

  /** The faults of the plan whose trigger has fired so far, in the order they fired. */
  public List<Fault> firedFaults() {
    return faults.fired();
  }

  /**
   * Ends the plan's faults: a trigger that has not fired never will, and every lasting effect ends now, as after
   * its duration (a component that was down runs again, a full mount has room again, a toxic leaves its link). The
   * simulation then recovers as the real cluster does, e.g. execs that lost their client run on to their end.
   */
  public void endFaults() {
    faults.end();
  }

  /** Whether kubectl has ended. */
  public boolean isDone() {
    return result.isDone();
  }

  /**
   * Waits until kubectl ends (in virtual time, driving the simulation) and answers what the user saw. kubectl that
   * waits on a process that never ends keeps pinging its connection, so this would never return: advance the clock
   * and ask {@link #isDone()} instead.
   */
  public KubectlResult await() {
    return scheduler.await(result);
  }

  /** Waits until kubectl ends and answers what it saw beside the truth at that moment, classified. */
  public ExecOutcome outcome() {
    KubectlResult r = await();
    return ExecOutcome.of(r.observation(), truth());
  }

  /**
   * In virtual time, runs the simulation until kubectl ends or {@code limit} has passed, and answers what it saw
   * beside the truth; empty when it still waits then (a process that never exits, a stream stalled for good), the
   * exec going on. Fails in realtime mode.
   */
  public Optional<ExecOutcome> outcomeWithin(Duration limit) {
    if (!(scheduler instanceof DeterministicScheduler d)) {
      throw new IllegalStateException("a realtime cluster has no virtual clock to advance");
    }
    return d.advanceUntil(result::isDone, limit) ? Optional.of(outcome()) : Optional.empty();
  }

  /** What has happened in the container so far, without waiting for anything. */
  public GroundTruth truth() {
    FileChanges changes = target.map(t -> FileChanges.between(before, t.node().snapshot(t.containerId())))
        .orElse(FileChanges.none());
    Optional<RuncExec> rec = runcExec();
    if (rec.isEmpty()) {
      return GroundTruth.notStarted(Optional.empty(), changes);
    }
    String execId = rec.get().execId();
    Optional<ProcessHandle> p = rec.get().process();
    if (p.isEmpty()) {
      return GroundTruth.notStarted(Optional.of(execId), changes);
    }
    if (p.get().isRunning()) {
      return GroundTruth.running(execId, p.get().pid(), changes);
    }
    return GroundTruth.exited(execId, p.get().pid(), p.get().exit().toCompletableFuture().join(), changes);
  }

  /** The exec's process, once runc has started it. */
  public Optional<ProcessHandle> process() {
    return runcExec().flatMap(RuncExec::process);
  }

  /**
   * Delivers {@code signal} to the exec's process, as {@code kill -<signal> <pid>} on the node would; e.g.
   * {@code SIGKILL} ends it with status 137.
   *
   * @throws IllegalStateException when the process has not started
   */
  public void signal(Signal signal) {
    process().orElseThrow(() -> new IllegalStateException("the exec's process has not started")).signal(signal);
  }

  private Optional<RuncExec> runcExec() {
    if (target.isEmpty()) {
      return Optional.empty();
    }
    Target t = target.get();
    List<RuncExec> all = t.node().runcExecs();
    return all.subList(Math.min(mark, all.size()), all.size()).stream()
        .filter(r -> r.containerId().equals(t.containerId()) && r.args().equals(t.command()))
        .findFirst();
  }
}
