package io.execsim.examples;

import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import java.nio.file.Path;

/**
 * Serves a simulated cluster on loopback for real clients: {@code Serve [port [kubeconfig]]} starts a realtime
 * cluster with the pod {@code web} (one busybox container {@code app}) on node {@code node-1}, opens its apiserver
 * on {@code 127.0.0.1:<port>} (default 8080), writes a kubeconfig (default {@code execsim.kubeconfig}) and runs until
 * the process is stopped.
 */
public final class Serve {

  private Serve() {
  }

  /** Starts serving; closing the returned cluster stops it. */
  public static SimCluster start(int port, Path kubeconfig) {
    SimCluster cluster = SimCluster.builder().realtime()
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build();
    cluster.serve(port).writeKubeconfig(kubeconfig, "default");
    return cluster;
  }

  /** Runs until stopped, printing how to reach the cluster. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Path kubeconfig = Path.of(args.length > 1 ? args[1] : "execsim.kubeconfig").toAbsolutePath();
    SimCluster cluster = start(port, kubeconfig);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "execsim-stop"));
    System.out.println("apiserver on http://127.0.0.1:" + port + "; try:");
    System.out.println("  kubectl --kubeconfig " + kubeconfig + " exec web -- echo hello");
    Thread.currentThread().join();
  }
}
