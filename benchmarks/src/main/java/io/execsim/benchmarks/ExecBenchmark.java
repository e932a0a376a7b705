package io.execsim.benchmarks;

import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimNode;
import io.execsim.testkit.SimPod;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one exec of {@code sh -c 'echo hi; exit 3'}: through containerd's ExecSync on one node, and through
 * the whole chain with the kubectl model over WebSocket v5 and over SPDY. Each iteration gets a fresh node or
 * cluster, so the trace does not grow across iterations. Runs in the JVM that starts it (no fork), so that
 * {@code exec:java} can run it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(0)
public class ExecBenchmark {
  private static final ExecCommand COMMAND = ExecCommand.of("default", "web", "sh", "-c", "echo hi; exit 3");

  private SimNode node;
  private SimCluster cluster;

  /** A node with one container, and a cluster with one pod. */
  @Setup(Level.Iteration)
  public void start() {
    node = SimNode.builder().build();
    node.runContainer("c", ContainerImage.busybox());
    cluster = SimCluster.builder()
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build();
  }

  /** Ends both. */
  @TearDown(Level.Iteration)
  public void stop() {
    node.close();
    cluster.close();
  }

  /** CRI ExecSync through containerd, the shim and runc. */
  @Benchmark
  public ExecSyncResponse execSync() {
    return node.execSync("c", "sh", "-c", "echo hi; exit 3");
  }

  /** kubectl exec over WebSocket v5, through the apiserver's translator. */
  @Benchmark
  public KubectlResult kubectlWebSocket() {
    return cluster.exec(KubectlOptions.latest(), COMMAND);
  }

  /** kubectl exec over SPDY, through the raw proxies. */
  @Benchmark
  public KubectlResult kubectlSpdy() {
    return cluster.exec(KubectlOptions.latest().withoutWebSockets(), COMMAND);
  }
}
