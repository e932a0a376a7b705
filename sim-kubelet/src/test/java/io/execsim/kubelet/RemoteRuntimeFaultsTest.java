package io.execsim.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import io.execsim.core.rpc.CallLinkHandle;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Faults on the kubelet's gRPC connection to the runtime, as grpc-go reports them and recovers from them. */
class RemoteRuntimeFaultsTest {
  private static final String SOCKET = "/run/containerd/containerd.sock";
  private static final ExecRequest REQUEST = new ExecRequest("c0ffee", List.of("ls"), false, false, true, true);

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(7), new Trace(scheduler));
  private final FakeRuntime runtime = new FakeRuntime();
  private final RemoteRuntimeService client = new RemoteRuntimeService(node, SOCKET);
  private final List<CallLinkHandle> connections = new ArrayList<>();

  RemoteRuntimeFaultsTest() {
    node.fs().mount("/run", MountSpec.unlimited());
    node.fs().mkdirAll("/run/containerd", 0711);
    node.sockets().serve(SOCKET, new CallServer<>(scheduler, runtime));
    NodeHooks.of(node).onCallLink(LinkName.KUBELET_CONTAINERD, connections::add);
  }

  @Test
  void eachConnectionIsAnnouncedBeforeItsFirstCall() {
    NodeHooks.of(node).onCallLink(LinkName.KUBELET_CONTAINERD,
        h -> h.addLatency(Duration.ofSeconds(2), Duration.ZERO));

    scheduler.await(client.exec(REQUEST));

    assertThat(connections).extracting(CallLinkHandle::name).containsExactly("kubelet-containerd#1");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void resetFailsTheCallInFlightAsGrpcDoesAndTheNextCallDialsAgain() {
    runtime.answer = r -> new CompletableFuture<>();
    CompletableFuture<ExecResponse> call = client.exec(REQUEST).toCompletableFuture();
    scheduler.runUntilIdle();

    connections.get(0).reset();

    assertThatThrownBy(() -> scheduler.await(call))
        .hasMessage("rpc error: code = Unavailable desc = error reading from server: read unix @->" + SOCKET
            + ": read: connection reset by peer");
    runtime.answer = r -> CompletableFuture.completedFuture(new ExecResponse("http://127.0.0.1:34567/exec/tok2"));
    assertThat(scheduler.await(client.exec(REQUEST)).url()).endsWith("/exec/tok2");
    assertThat(connections).extracting(CallLinkHandle::name)
        .containsExactly("kubelet-containerd#1", "kubelet-containerd#2");
  }
}
