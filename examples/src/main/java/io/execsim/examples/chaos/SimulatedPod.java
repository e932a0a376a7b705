package io.execsim.examples.chaos;

import io.execsim.core.fault.FaultPlan;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimExec;
import java.time.Duration;
import java.util.List;

/**
 * An operator's view of a pod of a simulated cluster: its first exec runs under a fault plan, the later ones under
 * whatever the plan's lasting faults leave; waits pass in virtual time. Like a real operator's exec with a context
 * deadline, an exec that has not ended after {@link #EXEC_TIMEOUT} is given up (it goes on in the cluster).
 */
public final class SimulatedPod implements PodExec {
  /** How long the operator waits for one exec. */
  public static final Duration EXEC_TIMEOUT = Duration.ofMinutes(2);

  private final SimCluster cluster;
  private final String namespace;
  private final String pod;
  private FaultPlan plan;

  /** Pod {@code namespace/pod} of {@code cluster}, whose first exec runs under {@code plan}. */
  public SimulatedPod(SimCluster cluster, String namespace, String pod, FaultPlan plan) {
    this.cluster = cluster;
    this.namespace = namespace;
    this.pod = pod;
    this.plan = plan;
  }

  @Override
  public Result exec(List<String> command) {
    SimExec exec = cluster.startExec(ExecCommand.of(namespace, pod, command.toArray(String[]::new)), plan);
    plan = FaultPlan.of();
    if (!cluster.clock().advanceUntil(exec::isDone, EXEC_TIMEOUT)) {
      return new Result(1, "", "context deadline exceeded");
    }
    KubectlResult r = exec.await();
    return new Result(r.exitCode(), r.stdoutText(), r.stderrText());
  }

  @Override
  public void sleep(Duration duration) {
    cluster.clock().advance(duration);
  }
}
