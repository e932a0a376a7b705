package io.execsim.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.fault.LinkName;
import io.execsim.core.node.Node;
import io.execsim.core.rpc.CallLink;
import io.execsim.core.rpc.CallLinkHandle;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The announcements of a node's call connections, and who hears of them. */
class NodeHooksTest {
  private static final GoError CLOSED = GoError.of("ttrpc: closed");

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(7), new Trace(scheduler));
  private final NodeHooks hooks = NodeHooks.of(node);
  private final CallServer<Object> shim = new CallServer<>(scheduler, new Object());

  @Test
  void everyHopOfANodeReachesTheSameHooks() {
    assertThat(NodeHooks.of(node)).isSameAs(hooks);
    assertThat(NodeHooks.of(new Node("node-2", scheduler, new SimRandom(7), new Trace(scheduler))))
        .isNotSameAs(hooks);
  }

  @Test
  void listenerHearsOfEachNewConnectionOfItsKindUntilRemoved() {
    List<String> heard = new ArrayList<>();
    Runnable stop = hooks.onCallLink(LinkName.CONTAINERD_SHIM, h -> heard.add(h.name() + " " + h.target()));
    hooks.onCallLink(LinkName.KUBELET_CONTAINERD, h -> heard.add("wrong kind"));

    hooks.connected(LinkName.CONTAINERD_SHIM, "web-app", shim.connect(CLOSED), Hop.CONTAINERD, CLOSED);
    stop.run();
    hooks.connected(LinkName.CONTAINERD_SHIM, "web-app", shim.connect(CLOSED), Hop.CONTAINERD, CLOSED);

    assertThat(heard).containsExactly("containerd-shim#1 web-app");
  }

  @Test
  void openConnectionsAreListedAndClosedOnesLeaveTheList() {
    CallLink first = shim.connect(CLOSED);
    CallLinkHandle a = hooks.connected(LinkName.CONTAINERD_SHIM, "a", first, Hop.CONTAINERD, CLOSED);
    CallLinkHandle b = hooks.connected(LinkName.CONTAINERD_SHIM, "b", shim.connect(CLOSED), Hop.CONTAINERD, CLOSED);

    first.close();

    assertThat(hooks.callLinks(LinkName.CONTAINERD_SHIM)).containsExactly(b);
    assertThat(a.name()).isEqualTo("containerd-shim#1");
    assertThat(b.name()).isEqualTo("containerd-shim#2");
  }

  @Test
  void onlyCallLinksHaveConnections() {
    assertThatThrownBy(() -> hooks.onCallLink(LinkName.STDOUT, h -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not a call link: stdout");
  }
}
