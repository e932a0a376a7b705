package io.execsim.testkit;

import io.execsim.core.outcome.ClientProtocol;
import io.execsim.kubectl.KubectlOptions;
import java.util.stream.Stream;

/** The cluster most fault tests exec into, and the two ways kubectl can reach it. */
final class Chains {
  /** The internal IP of node-1, where its kubelet listens. */
  static final String NODE_IP = "10.0.0.11";

  private Chains() {
  }

  /** One node, {@code node-1}, running pod {@code default/web} with the busybox container {@code app}. */
  static SimCluster webCluster() {
    return SimCluster.builder().seed(3)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build();
  }

  /** kubectl 1.33 with WebSocket v5 through the apiserver's translator, and the same with SPDY only. */
  static Stream<KubectlOptions> protocols() {
    return Stream.of(KubectlOptions.latest(), KubectlOptions.latest().withoutWebSockets());
  }

  /** The protocol kubectl runs the exec over with {@code options}, when the apiserver takes it. */
  static ClientProtocol protocolOf(KubectlOptions options) {
    return options.webSockets() ? ClientProtocol.WEBSOCKET_V5 : ClientProtocol.SPDY;
  }

  /**
   * The error line over each protocol for a failure the kubelet or the runtime answered with {@code text}: SPDY
   * kubectl prints {@code error: <text>}; the apiserver's translator turns the same failure into an InternalError
   * status, which kubectl prints as {@code error: Internal error occurred: <text>} (streamtranslator.go).
   */
  static String errorLine(KubectlOptions options, String text) {
    return "error: " + (options.webSockets() ? "Internal error occurred: " : "") + text + "\n";
  }
}
