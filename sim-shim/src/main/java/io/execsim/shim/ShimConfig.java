package io.execsim.shim;

import java.util.Map;
import java.util.Objects;

/**
 * Where a shim keeps things and what it inherits from containerd.
 *
 * @param namespace the containerd namespace, {@code k8s.io} for the CRI
 * @param runtimeRoot the parent of runc's state roots; runc gets {@code <runtimeRoot>/<namespace>}
 * @param stateDir the parent of the bundles; a container's bundle is {@code <stateDir>/<namespace>/<id>}
 * @param env the shim's environment; {@code XDG_RUNTIME_DIR}, else {@code TMPDIR}, else {@code /tmp} holds the
 *     {@code runc-process} temp files and the {@code pty<digits>} directories of console sockets
 */
public record ShimConfig(String namespace, String runtimeRoot, String stateDir, Map<String, String> env) {

  /** Copies the environment. */
  public ShimConfig {
    Objects.requireNonNull(namespace, "namespace");
    env = Map.copyOf(env);
  }

  /** The layout containerd 1.6 uses for CRI containers, with an empty environment. */
  public static ShimConfig defaults() {
    return new ShimConfig("k8s.io", "/run/containerd/runc", "/run/containerd/io.containerd.runtime.v2.task",
        Map.of());
  }

  /** This configuration for a container in another namespace. */
  public ShimConfig withNamespace(String newNamespace) {
    return new ShimConfig(newNamespace, runtimeRoot, stateDir, env);
  }

  /** This configuration with another environment. */
  public ShimConfig withEnv(Map<String, String> newEnv) {
    return new ShimConfig(namespace, runtimeRoot, stateDir, newEnv);
  }

  /** The bundle directory of container {@code id}. */
  public String bundle(String id) {
    return stateDir + "/" + namespace + "/" + id;
  }

  /**
   * The directory of go-runc's temp files and console sockets: {@code $XDG_RUNTIME_DIR}, else Go's
   * {@code os.TempDir()}.
   */
  public String tempDir() {
    String xdg = env.getOrDefault("XDG_RUNTIME_DIR", "");
    if (!xdg.isEmpty()) {
      return xdg;
    }
    String tmp = env.getOrDefault("TMPDIR", "");
    return tmp.isEmpty() ? "/tmp" : tmp;
  }
}
