package io.execsim.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.node.Node;
import io.execsim.core.node.UnixListener;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The kubelet's CRI client over the runtime's unix socket, and how gRPC fails its calls. */
class RemoteRuntimeServiceTest {
  private static final String SOCKET = "/run/containerd/containerd.sock";
  private static final ExecRequest REQUEST = new ExecRequest("c0ffee", List.of("ls"), false, false, true, true);

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(7), new Trace(scheduler));
  private final FakeRuntime runtime = new FakeRuntime();
  private final RemoteRuntimeService client = new RemoteRuntimeService(node, SOCKET);

  RemoteRuntimeServiceTest() {
    node.fs().mount("/run", MountSpec.unlimited());
    node.fs().mkdirAll("/run/containerd", 0711);
  }

  private UnixListener serve(CallServer<FakeRuntime> server) {
    return node.sockets().serve(SOCKET, server);
  }

  @Test
  void callReachesTheRuntimeServingTheSocket() {
    serve(new CallServer<>(scheduler, runtime));

    ExecResponse r = scheduler.await(client.exec(REQUEST));

    assertThat(r.url()).isEqualTo("http://127.0.0.1:34567/exec/tok123");
    assertThat(runtime.calls).containsExactly(REQUEST);
  }

  @Test
  void missingSocketIsUnavailableWithGrpcsDialText() {
    assertThatThrownBy(() -> scheduler.await(client.exec(REQUEST)))
        .hasMessage("rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while "
            + "dialing: dial unix " + SOCKET + ": connect: no such file or directory\"");
  }

  @Test
  void socketLeftByAKilledRuntimeRefusesTheDial() {
    serve(new CallServer<>(scheduler, runtime)).abandon();

    assertThatThrownBy(() -> scheduler.await(client.exec(REQUEST)))
        .hasMessageEndingWith("dial unix " + SOCKET + ": connect: connection refused\"");
  }

  @Test
  void runtimeGoneDuringTheCallFailsItWithEof() {
    CallServer<FakeRuntime> server = new CallServer<>(scheduler, runtime);
    serve(server);
    runtime.answer = r -> new CompletableFuture<>();
    CompletableFuture<ExecResponse> call = client.exec(REQUEST).toCompletableFuture();
    scheduler.runUntilIdle();

    server.close();

    assertThatThrownBy(() -> scheduler.await(call))
        .hasMessage("rpc error: code = Unavailable desc = error reading from server: EOF");
  }

  @Test
  void clientReconnectsOnceTheRuntimeServesAgain() {
    CallServer<FakeRuntime> first = new CallServer<>(scheduler, runtime);
    UnixListener l = serve(first);
    scheduler.await(client.exec(REQUEST));
    first.close();
    l.abandon();

    // a runtime unlinks the stale socket file before it binds again
    node.fs().remove(SOCKET);
    serve(new CallServer<>(scheduler, runtime));

    assertThat(scheduler.await(client.exec(REQUEST)).url()).endsWith("/exec/tok123");
    assertThat(runtime.calls).hasSize(2);
  }

  @Test
  void disconnectedClientFailsItsCallInFlight() {
    serve(new CallServer<>(scheduler, runtime));
    runtime.answer = r -> new CompletableFuture<>();
    CompletableFuture<ExecResponse> call = client.exec(REQUEST).toCompletableFuture();
    scheduler.runUntilIdle();

    client.disconnect();

    assertThatThrownBy(() -> scheduler.await(call)).hasMessageContaining("code = Unavailable");
  }
}
