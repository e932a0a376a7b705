package io.execsim.examples.chaos;

import io.execsim.core.fault.FaultPlan;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import java.time.Duration;
import java.util.List;

/**
 * What a chaos operator must get right, whatever the exec chain does: it never reports an experiment as failed
 * when the experiment is in effect in the container, and it never injects one twice. {@link #run} lets an operator
 * inject under a fault plan, ends the faults, lets the cluster settle, and compares the operator's report with the
 * container's ground truth.
 */
public final class InjectionCheck {
  /** The namespace and name of the target pod, and its container. */
  public static final String NAMESPACE = "default";
  /** The target pod. */
  public static final String POD = "web";
  /** The experiment the operator injects. */
  public static final String EXPERIMENT = "cpu-load-1";
  /** How long the cluster settles after the faults end: longer than any timeout of the chain. */
  private static final Duration SETTLE = Duration.ofMinutes(10);

  private InjectionCheck() {
  }

  /** A cluster with one node and the target pod, whose container has blade installed. */
  public static SimCluster.Builder cluster() {
    return SimCluster.builder().node("node-1").pod(SimPod.running(NAMESPACE, POD, "node-1", "app", Blade.image()));
  }

  /**
   * What happened: the operator's report, and the experiments in the container once the faults have ended and the
   * cluster has settled.
   *
   * @param reported what the operator reported
   * @param injected the experiments in the container
   */
  public record Result(ExperimentStatus reported, List<String> injected) {
    /** Whether the operator got it right: not failed when injected, and never injected twice. */
    public boolean holds() {
      return !(reported == ExperimentStatus.FAILED && !injected.isEmpty()) && injected.size() <= 1;
    }
  }

  /** Runs {@code operator} on {@code cluster} with its first exec under {@code plan}. */
  public static Result run(ChaosOperator operator, SimCluster cluster, FaultPlan plan) {
    ExperimentStatus reported = operator.inject(EXPERIMENT, new SimulatedPod(cluster, NAMESPACE, POD, plan));
    cluster.endFaults();
    cluster.clock().advance(SETTLE);
    String id = cluster.containerId(NAMESPACE, POD, "app");
    return new Result(reported, Blade.experiments(cluster.node("node-1").rootfs(id)));
  }
}
