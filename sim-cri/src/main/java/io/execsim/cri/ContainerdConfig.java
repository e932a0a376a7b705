package io.execsim.cri;

import java.time.Duration;

/**
 * The settings of containerd and its CRI plugin that the exec path reads.
 *
 * @param stateDir containerd's {@code state} directory; task bundles go under
 *     {@code <dir>/io.containerd.runtime.v2.task/<namespace>/<id>}
 * @param address the path of containerd's gRPC socket, which ctr dials
 * @param criStateDir the CRI plugin's volatile state; exec FIFOs go under {@code <dir>/containers/<id>/io}
 * @param streamAddress the streaming server's address in the URLs it hands out
 * @param streamPort the streaming server's port in those URLs
 * @param tokenTtl how long a streaming URL stays valid
 * @param maxInFlight how many streaming URLs may be outstanding
 * @param execSyncOutputLimit the bytes of each output stream ExecSync keeps
 */
public record ContainerdConfig(String stateDir, String address, String criStateDir, String streamAddress,
    int streamPort, Duration tokenTtl, int maxInFlight, int execSyncOutputLimit) {

  /** The directory below {@link #stateDir()} where the task bundles of runtime v2 live. */
  public static final String TASK_DIR = "io.containerd.runtime.v2.task";

  /** containerd 1.6's defaults, with the given streaming port. */
  public static ContainerdConfig defaults(int streamPort) {
    return new ContainerdConfig("/run/containerd", "/run/containerd/containerd.sock",
        "/run/containerd/io.containerd.grpc.v1.cri", "127.0.0.1", streamPort, Duration.ofMinutes(1), 1000,
        16 * 1024 * 1024);
  }

  /** This configuration with another {@code state} directory, the CRI plugin's state moving below it. */
  public ContainerdConfig withStateDir(String dir) {
    return new ContainerdConfig(dir, address, dir + "/io.containerd.grpc.v1.cri", streamAddress, streamPort,
        tokenTtl, maxInFlight, execSyncOutputLimit);
  }

  /** This configuration with its gRPC socket at another path. */
  public ContainerdConfig withAddress(String socket) {
    return new ContainerdConfig(stateDir, socket, criStateDir, streamAddress, streamPort, tokenTtl, maxInFlight,
        execSyncOutputLimit);
  }

  /** The parent of the task bundles: {@code <state>/io.containerd.runtime.v2.task}. */
  public String taskDir() {
    return stateDir + "/" + TASK_DIR;
  }

  /** The bundle of container {@code id} in {@code namespace}. */
  public String bundle(String namespace, String id) {
    return taskDir() + "/" + namespace + "/" + id;
  }
}
