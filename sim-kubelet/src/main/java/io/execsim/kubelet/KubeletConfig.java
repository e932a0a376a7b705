package io.execsim.kubelet;

import java.time.Duration;
import java.util.Optional;

/**
 * The settings of a kubelet that the exec path depends on.
 *
 * @param port the port of the kubelet's server ({@code --port}, 10250)
 * @param runtimeRequestTimeout the bound of each CRI call ({@code --runtime-request-timeout}, 2 minutes)
 * @param host the host part of the address the kubelet serves on, e.g. the node's internal IP; the node's name
 *     when empty
 */
public record KubeletConfig(int port, Duration runtimeRequestTimeout, Optional<String> host) {

  /** The kubelet's defaults, serving on the node's name. */
  public static final KubeletConfig DEFAULT = new KubeletConfig(10250, Duration.ofMinutes(2), Optional.empty());

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
    return new KubeletConfig(port, timeout, host);
  }

  /** These settings serving on {@code value} (a host name or IP address) instead of the node's name. */
  public KubeletConfig withHost(String value) {
    if (value.isEmpty() || value.contains(":")) {
      throw new IllegalArgumentException("a host is a name or an IPv4 address without a port: " + value);
    }
    return new KubeletConfig(port, runtimeRequestTimeout, Optional.of(value));
  }
}
