package io.execsim.examples;

import io.execsim.core.fs.Paths;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimNode;
import io.execsim.testkit.SimPod;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo: a simulated cluster with one node and one pod; {@code kubectl exec} runs through the apiserver, the
 * kubelet, the CRI streaming server, containerd, the shim and runc, over WebSocket v5 and over SPDY, once with the
 * shim's temp dir full. Prints what the user sees for each exec, then the trace of the whole run and the same trace
 * as a Mermaid sequence diagram.
 */
public final class Demo {

  private Demo() {
  }

  /** Runs the demo and prints to standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the demo and prints to {@code out}. */
  public static void run(PrintStream out) {
    try (SimCluster cluster = SimCluster.builder().seed(42)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build()) {
      KubectlOptions spdy = KubectlOptions.latest().withoutWebSockets();
      show(out, cluster, KubectlOptions.latest(), ExecCommand.of("default", "web", "echo", "hello"));
      show(out, cluster, spdy, ExecCommand.of("default", "web", "sh", "-c", "echo out; echo err >&2; exit 3"));
      show(out, cluster, KubectlOptions.latest(), ExecCommand.of("default", "web", "cat")
          .withStdin("piped through cat\n".getBytes(StandardCharsets.UTF_8)));

      SimNode node = cluster.node("node-1");
      out.println("--- the node's " + Paths.clean(node.shimTempDir()) + " runs out of inodes");
      node.fill(node.shimTempDir(), SimNode.Resource.INODES);
      show(out, cluster, spdy, ExecCommand.of("default", "web", "touch", "/tmp/never"));
      node.free(node.shimTempDir());

      out.println("--- trace");
      out.print(cluster.trace().render());
      out.println("--- trace as a Mermaid sequence diagram");
      out.print(cluster.trace().toMermaid());
    }
  }

  private static void show(PrintStream out, SimCluster cluster, KubectlOptions kubectl, ExecCommand cmd) {
    String args = String.join(" ", cmd.command().stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList());
    out.println("$ kubectl exec " + (cmd.stdin().isPresent() ? "-i " : "") + cmd.pod() + " -- " + args
        + (kubectl.webSockets() ? "" : "   # KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false"));
    KubectlResult r = cluster.exec(kubectl, cmd);
    out.print(r.stdoutText());
    out.print(r.stderrText());
    out.println("(exit code " + r.exitCode() + ", over " + r.protocol().orElse("nothing") + ")");
  }
}
