package io.execsim.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.sched.DeterministicScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TraceTest {

  @Test
  void rendersStepsWithVirtualTime() {
    DeterministicScheduler s = new DeterministicScheduler();
    Trace t = new Trace(s);
    t.record(Hop.KUBECTL, Phase.CLIENT_REQUEST, "exec default/web -- echo hi");
    s.advance(Duration.ofMillis(1500));
    t.record(Hop.APISERVER, Phase.CLIENT_UPGRADE, "websocket v5.channel.k8s.io");

    assertThat(t.render()).isEqualTo(
        "    0.000000  kubectl     client-request        exec default/web -- echo hi\n"
        + "    1.500000  apiserver   client-upgrade        websocket v5.channel.k8s.io\n");
  }

  @Test
  void rendersAMermaidSequenceDiagram() {
    DeterministicScheduler s = new DeterministicScheduler();
    Trace t = new Trace(s);
    t.record(Hop.KUBECTL, Phase.CLIENT_REQUEST, "exec; #1");
    t.record(Hop.APISERVER, Phase.CLIENT_UPGRADE, "websocket");
    t.record(Hop.APISERVER, Phase.KUBELET_DIAL, "node-1:10250");

    assertThat(t.toMermaid()).isEqualTo("sequenceDiagram\n"
        + "  participant kubectl\n"
        + "  participant apiserver\n"
        + "  Note over kubectl: client-request exec, no.1\n"
        + "  kubectl->>apiserver: client-upgrade websocket\n"
        + "  Note over apiserver: kubelet-dial node-1:10250\n");
  }

  @Test
  void subscriberSeesEachLaterEventUntilItUnsubscribes() {
    DeterministicScheduler s = new DeterministicScheduler();
    Trace t = new Trace(s);
    t.record(Hop.KUBELET, Phase.CRI_EXEC, "before");
    java.util.List<String> seen = new java.util.ArrayList<>();

    Trace.Subscription sub = t.subscribe(e -> seen.add(e.detail()));
    t.record(Hop.SHIM, Phase.TASK_EXEC, "during");
    sub.close();
    t.record(Hop.RUNC, Phase.RUNC_STARTED, "after");

    assertThat(seen).containsExactly("during");
  }

  @Test
  void clearForgetsEventsButNotTheClock() {
    DeterministicScheduler s = new DeterministicScheduler();
    Trace t = new Trace(s);
    t.record(Hop.KUBELET, Phase.CRI_EXEC, "old");
    s.advance(Duration.ofSeconds(2));

    t.clear();
    t.record(Hop.KUBELET, Phase.CRI_EXEC, "new");

    assertThat(t.events()).singleElement()
        .satisfies(e -> assertThat(e.at()).hasSeconds(2));
  }
}
