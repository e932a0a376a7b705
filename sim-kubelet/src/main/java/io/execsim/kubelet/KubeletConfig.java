package io.execsim.kubelet;

import java.time.Duration;

/**
 * The settings of a kubelet that the exec path depends on.
 *
 * @param port the port of the kubelet's server ({@code --port}, 10250)
 * @param runtimeRequestTimeout the bound of each CRI call ({@code --runtime-request-timeout}, 2 minutes)
 */
public record KubeletConfig(int port, Duration runtimeRequestTimeout) {

  /** The kubelet's defaults. */
  public static final KubeletConfig DEFAULT = new KubeletConfig(10250, Duration.ofMinutes(2));

  /** Checks the values. */
  public KubeletConfig {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535: " + port);
    }
    if (runtimeRequestTimeout.isNegative() || runtimeRequestTimeout.isZero()) {
      throw new IllegalArgumentException("runtime request timeout must be positive: " + runtimeRequestTimeout);
    }
  }

  /** These settings with another runtime request timeout. */
  public KubeletConfig withRuntimeRequestTimeout(Duration timeout) {
    return new KubeletConfig(port, timeout);
  }
}
