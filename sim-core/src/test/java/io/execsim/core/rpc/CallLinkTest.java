package io.execsim.core.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.sched.DeterministicScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class CallLinkTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final List<String> handled = new ArrayList<>();
  private final CallServer<Object> server = new CallServer<>(scheduler, new Object());
  private final CallLink link = server.connect(GoError.of("ttrpc: closed"));

  private CompletionStage<String> echo(String request) {
    return link.call(() -> {
      handled.add(request);
      return CompletableFuture.completedFuture(request + "!");
    });
  }

  private CompletionStage<String> slow(Duration after) {
    return link.call(() -> {
      handled.add("slow");
      return scheduler.sleep(after).thenApply(v -> "slow!");
    });
  }

  @Test
  void callOfARunningServerGetsTheServicesAnswer() {
    assertThat(scheduler.await(echo("state"))).isEqualTo("state!");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void deadServerFailsCallsInFlightAndLaterOnesWithTheClientsLostPeerError() {
    List<String> told = new ArrayList<>();
    link.onPeerClosed(() -> told.add("shim disconnected"));
    CompletableFuture<String> waiting = slow(Duration.ofSeconds(30)).toCompletableFuture();

    server.close();

    assertThatThrownBy(() -> scheduler.await(waiting)).isInstanceOf(GoError.class).hasMessage("ttrpc: closed");
    assertThatThrownBy(() -> scheduler.await(echo("later"))).hasMessage("ttrpc: closed");
    assertThat(told).containsExactly("shim disconnected");
    assertThat(handled).containsExactly("slow");
    assertThat(link.isClosed()).isTrue();
  }

  @Test
  void stoppedServerHandlesNothingUntilContinuedThenAllInOrder() {
    server.stop();
    CompletableFuture<String> first = echo("first").toCompletableFuture();
    CompletableFuture<String> second = echo("second").toCompletableFuture();
    scheduler.advance(Duration.ofMinutes(5));

    assertThat(handled).isEmpty();
    assertThat(first).isNotDone();

    server.cont();

    assertThat(scheduler.await(second)).isEqualTo("second!");
    assertThat(first).isCompletedWithValue("first!");
    assertThat(handled).containsExactly("first", "second");
  }

  @Test
  void answerOfAStoppedServerWaitsForItsContinuation() {
    CompletableFuture<String> answer = slow(Duration.ofSeconds(1)).toCompletableFuture();
    server.stop();
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(answer).isNotDone();

    server.cont();
    assertThat(scheduler.await(answer)).isEqualTo("slow!");
  }

  @Test
  void clientThatHangsUpFailsItsOwnCallsButTheServerGoesOn() {
    List<String> told = new ArrayList<>();
    link.onPeerClosed(() -> told.add("told"));
    CompletableFuture<String> waiting = slow(Duration.ofSeconds(1)).toCompletableFuture();

    link.close();
    scheduler.advance(Duration.ofSeconds(2));

    assertThat(waiting).isCompletedExceptionally();
    assertThat(handled).containsExactly("slow");
    assertThat(told).isEmpty();
    assertThat(server.connections()).isZero();
  }

  @Test
  void connectionToADeadServerIsClosedFromTheStart() {
    server.close();

    CallLink late = server.connect(GoError.of("transport is closing"));

    assertThat(late.isClosed()).isTrue();
    assertThatThrownBy(() -> scheduler.await(late.call(() -> CompletableFuture.completedFuture(1))))
        .hasMessage("transport is closing");
  }
}
