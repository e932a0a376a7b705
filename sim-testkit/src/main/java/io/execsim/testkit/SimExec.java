package io.execsim.testkit;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.FileChanges;
import io.execsim.core.outcome.GroundTruth;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import io.execsim.core.sched.Scheduler;
import io.execsim.kubectl.KubectlResult;
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

  /** Where the exec's process runs, as far as the cluster knows it when the exec starts. */
  record Target(SimNode node, String containerId, List<String> command) {
  }

  /** Takes the truth's baseline of {@code target}, then starts the client with {@code start}. */
  SimExec(Scheduler scheduler, Optional<Target> target, Supplier<CompletionStage<KubectlResult>> start) {
    this.scheduler = scheduler;
    this.target = target;
    this.mark = target.map(t -> t.node().runcExecs().size()).orElse(0);
    this.before = target.map(t -> t.node().snapshot(t.containerId())).orElse(Map.of());
    this.result = start.get().toCompletableFuture();
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
