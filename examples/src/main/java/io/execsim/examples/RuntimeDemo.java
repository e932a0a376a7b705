package io.execsim.examples;

import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.core.error.RpcError;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimNode;
import java.io.PrintStream;
import java.util.List;

/**
 * The demo: one simulated node runs a busybox container; a few execs go through containerd, the shim and runc,
 * among them one that fails because the shim's temp dir is full. Prints each result and then the whole trace.
 */
public final class RuntimeDemo {

  private RuntimeDemo() {
  }

  /** Runs the demo and prints to standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the demo and prints to {@code out}. */
  public static void run(PrintStream out) {
    try (SimNode node = SimNode.builder().seed(42).build()) {
      node.runContainer("web", ContainerImage.busybox());
      show(out, node, List.of("echo", "hello from the container"));
      show(out, node, List.of("sh", "-c", "echo out; echo err >&2; exit 3"));

      out.println("--- the shim's temp dir runs out of inodes: runc never runs");
      node.fill(node.shimTempDir(), SimNode.Resource.INODES);
      show(out, node, List.of("touch", "/tmp/never"));
      node.free(node.shimTempDir());
      show(out, node, List.of("echo", "space is back"));

      out.println("--- a failed exec leaves an error in the runtime log, and the next full disk reports that one");
      show(out, node, List.of("nosuchbinary"));
      node.fill(node.shimTempDir(), SimNode.Resource.INODES);
      show(out, node, List.of("true"));
      node.free(node.shimTempDir());

      out.println("--- trace");
      out.print(node.trace().render());
    }
  }

  private static void show(PrintStream out, SimNode node, List<String> cmd) {
    out.println("$ crictl exec web " + String.join(" ", cmd));
    try {
      ExecSyncResponse r = node.execSync("web", cmd.toArray(String[]::new));
      out.print(r.stdoutText());
      out.print(r.stderrText());
      out.println("(exit code " + r.exitCode() + ")");
    } catch (RpcError e) {
      out.println(e.text());
    }
  }
}
