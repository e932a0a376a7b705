package io.execsim.core.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Latency, stall and reset on a call connection: when the server handles a call, when the answer comes back. */
class CallLinkFaultsTest {
  private static final String SOCKET = "/run/containerd/containerd.sock";
  private static final GoError RESET = RpcError.of(RpcCode.UNAVAILABLE,
      "error reading from server: read unix @->" + SOCKET + ": read: connection reset by peer");

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Trace trace = new Trace(scheduler);
  private final List<String> handled = new ArrayList<>();
  private final CallServer<Object> server = new CallServer<>(scheduler, new Object());
  private final CallLink link = server.connect(RpcError.of(RpcCode.UNAVAILABLE, "error reading from server: EOF"));
  private final CallLinkHandle handle = new CallLinkHandle("kubelet-containerd#1", SOCKET, link, Hop.KUBELET, RESET,
      new SimRandom(5), trace);

  /** A call the server answers at once; the stage completes with the time the answer came back. */
  private CompletionStage<Duration> call(String request) {
    return link.call(() -> {
      handled.add(request + "@" + scheduler.elapsed().toMillis());
      return CompletableFuture.completedFuture(request);
    }).thenApply(v -> scheduler.elapsed());
  }

  private List<String> faultsFired() {
    return trace.events().stream().filter(e -> e.phase() == Phase.FAULT_FIRED)
        .map(e -> e.hop().label() + ": " + e.detail()).toList();
  }

  @Test
  void latencyDelaysTheRequestAndTheAnswerEach() {
    handle.addLatency(Duration.ofSeconds(2), Duration.ZERO);

    Duration answered = scheduler.await(call("Exec"));

    assertThat(handled).containsExactly("Exec@2000");
    assertThat(answered).isEqualTo(Duration.ofSeconds(4));
    assertThat(faultsFired()).containsExactly("kubelet: latency 2s on kubelet-containerd#1 to " + SOCKET);
  }

  @Test
  void jitterIsDrawnFromTheSeededSourceForEachMessageAndKeepsTheOrder() {
    handle.addLatency(Duration.ofSeconds(1), Duration.ofMillis(500));
    SimRandom same = new SimRandom(5);
    long first = 1_000_000_000L + Math.round((2 * same.nextDouble() - 1) * 500_000_000L);
    long second = 1_000_000_000L + Math.round((2 * same.nextDouble() - 1) * 500_000_000L);

    Duration answered = scheduler.await(call("Exec"));

    assertThat(handled).containsExactly("Exec@" + Duration.ofNanos(first).toMillis());
    assertThat(answered).isEqualTo(Duration.ofNanos(first + second));
    assertThat(answered).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
  }

  @Test
  void removedLatencyHandsOnWhatItHeldAtOnce() {
    CallFault latency = handle.addLatency(Duration.ofSeconds(10), Duration.ZERO);
    CompletableFuture<Duration> call = call("Exec").toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(3));

    latency.remove();

    assertThat(scheduler.await(call)).isEqualTo(Duration.ofSeconds(3));
    assertThat(handled).containsExactly("Exec@3000");
    assertThat(latency.isActive()).isFalse();
  }

  @Test
  void stallHoldsCallsAndAnswersUntilRemovedThenDeliversThemInOrder() {
    CallFault stall = handle.stall();
    CompletableFuture<Duration> first = call("first").toCompletableFuture();
    CompletableFuture<Duration> second = call("second").toCompletableFuture();
    scheduler.advance(Duration.ofMinutes(3));
    assertThat(handled).isEmpty();
    assertThat(first).isNotDone();

    stall.remove();

    assertThat(scheduler.await(second)).isEqualTo(Duration.ofMinutes(3));
    assertThat(first).isCompletedWithValue(Duration.ofMinutes(3));
    assertThat(handled).containsExactly("first@180000", "second@180000");
    assertThat(faultsFired()).containsExactly("kubelet: stall on kubelet-containerd#1 to " + SOCKET);
  }

  @Test
  void stallHoldsAnAnswerOfACallTheServerAlreadyHandles() {
    CompletableFuture<String> slow = link.call(() -> scheduler.sleep(Duration.ofSeconds(5)).thenApply(v -> "done"))
        .toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(1));
    CallFault stall = handle.stall();
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(slow).isNotDone();

    stall.remove();

    assertThat(scheduler.await(slow)).isEqualTo("done");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(11));
  }

  @Test
  void resetFailsTheCallsInFlightWithTheClientsResetTextAndTellsThePeerListeners() {
    List<String> told = new ArrayList<>();
    link.onPeerClosed(() -> told.add("on close"));
    handle.stall();
    CompletableFuture<Duration> held = call("Exec").toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(1));

    handle.reset();

    assertThatThrownBy(() -> scheduler.await(held)).isInstanceOf(RpcError.class)
        .hasMessage("rpc error: code = Unavailable desc = error reading from server: read unix @->" + SOCKET
            + ": read: connection reset by peer");
    scheduler.runUntilIdle();
    assertThat(told).containsExactly("on close");
    assertThat(handled).as("the held request never reached the server").isEmpty();
    assertThat(link.isClosed()).isTrue();
    assertThat(server.connections()).isZero();
    assertThatThrownBy(() -> scheduler.await(call("later")))
        .hasMessage("rpc error: code = Unavailable desc = error reading from server: EOF");
    assertThat(faultsFired()).containsExactly("kubelet: stall on kubelet-containerd#1 to " + SOCKET,
        "kubelet: reset on kubelet-containerd#1 to " + SOCKET);
  }

  @Test
  void resetLosesTheAnswerOfACallTheServerGoesOnWith() {
    CallLink ttrpc = server.connect(GoError.of("ttrpc: closed"));
    CompletableFuture<String> slow = ttrpc.call(() -> {
      handled.add("Start");
      return scheduler.sleep(Duration.ofSeconds(5)).thenApply(v -> "started");
    }).toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(1));

    ttrpc.reset(GoError.of("ttrpc: closed"));

    assertThatThrownBy(() -> scheduler.await(slow)).hasMessage("ttrpc: closed");
    scheduler.runUntilIdle();
    assertThat(handled).containsExactly("Start");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void callListenerRunsBeforeTheCallGoesOutSoAResetThereFailsIt() {
    CallLink ttrpc = server.connect(GoError.of("ttrpc: closed"));
    CallLinkHandle shim = new CallLinkHandle("containerd-shim#1", "c1", ttrpc, Hop.CONTAINERD,
        GoError.of("ttrpc: closed"), new SimRandom(1), trace);
    List<String> calls = new ArrayList<>();
    shim.onCall(() -> {
      calls.add("call " + calls.size());
      if (calls.size() == 2) {
        shim.reset();
      }
    });

    assertThat(scheduler.await(ttrpc.call(() -> CompletableFuture.completedFuture("ok")))).isEqualTo("ok");
    CompletionStage<String> second = ttrpc.call(() -> CompletableFuture.completedFuture("ok"));

    assertThatThrownBy(() -> scheduler.await(second)).hasMessage("ttrpc: closed");
    assertThat(calls).containsExactly("call 0", "call 1");
    assertThat(trace.events()).extracting(TraceEvent::detail).containsExactly("reset on containerd-shim#1 to c1");
  }

  @Test
  void latencyRejectsAJitterAboveTheDelay() {
    assertThatThrownBy(() -> handle.addLatency(Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must not exceed latency: PT2S > PT1S");
  }
}
