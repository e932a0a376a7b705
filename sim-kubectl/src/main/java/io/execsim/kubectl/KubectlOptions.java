package io.execsim.kubectl;

import io.execsim.core.remotecommand.StreamProtocol;
import java.util.List;

/**
 * How a kubectl version behaves on exec.
 *
 * @param version the version it reports, e.g. {@code v1.33.0}
 * @param webSockets whether it tries WebSocket v5 first (1.30 and later, unless
 *     {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false})
 * @param spdyProtocols the protocols it offers over SPDY, in order
 */
public record KubectlOptions(String version, boolean webSockets, List<String> spdyProtocols) {

  /** Copies the list. */
  public KubectlOptions {
    spdyProtocols = List.copyOf(spdyProtocols);
  }

  /** kubectl 1.33: WebSocket v5 first, then SPDY offering v5 to v1. */
  public static KubectlOptions latest() {
    return new KubectlOptions("v1.33.0", true, StreamProtocol.KUBECTL_SPDY_OFFER);
  }

  /** This kubectl with {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}: SPDY only. */
  public KubectlOptions withoutWebSockets() {
    return new KubectlOptions(version, false, spdyProtocols);
  }
}
