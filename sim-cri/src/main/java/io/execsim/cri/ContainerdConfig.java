package io.execsim.cri;

import java.time.Duration;

/**
 * The settings of containerd and its CRI plugin that the exec path reads.
 *
 * @param criStateDir the CRI plugin's volatile state; exec FIFOs go under {@code <dir>/containers/<id>/io}
 * @param streamAddress the streaming server's address in the URLs it hands out
 * @param streamPort the streaming server's port in those URLs
 * @param tokenTtl how long a streaming URL stays valid
 * @param maxInFlight how many streaming URLs may be outstanding
 * @param execSyncOutputLimit the bytes of each output stream ExecSync keeps
 */
public record ContainerdConfig(String criStateDir, String streamAddress, int streamPort, Duration tokenTtl,
    int maxInFlight, int execSyncOutputLimit) {

  /** containerd 1.6's defaults, with the given streaming port. */
  public static ContainerdConfig defaults(int streamPort) {
    return new ContainerdConfig("/run/containerd/io.containerd.grpc.v1.cri", "127.0.0.1", streamPort,
        Duration.ofMinutes(1), 1000, 16 * 1024 * 1024);
  }
}
