package io.execsim.core.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeterministicSchedulerTest {

  @Test
  void runsTasksByDueTimeThenBySubmission() {
    DeterministicScheduler s = new DeterministicScheduler();
    List<String> order = new ArrayList<>();
    s.schedule(Duration.ofSeconds(2), () -> order.add("late"));
    s.execute(() -> order.add("first"));
    s.schedule(Duration.ofSeconds(1), () -> order.add("early"));
    s.execute(() -> order.add("second"));

    s.runUntilIdle();

    assertThat(order).containsExactly("first", "second", "early", "late");
    assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void advanceUntilStopsAtTheTaskAfterWhichItsConditionHolds() {
    DeterministicScheduler s = new DeterministicScheduler();
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(2), () -> done.complete(null));
    s.schedule(Duration.ofSeconds(3), () -> ran.add("later"));

    boolean held = s.advanceUntil(done::isDone, Duration.ofSeconds(30));

    assertThat(held).isTrue();
    assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
  }

  @Test
  void advanceUntilGivesUpAtItsLimit() {
    DeterministicScheduler s = new DeterministicScheduler();
    CompletableFuture<Void> never = new CompletableFuture<>();
    s.schedule(Duration.ofSeconds(1), () -> { });

    boolean held = s.advanceUntil(never::isDone, Duration.ofSeconds(5));

    assertThat(held).isFalse();
    assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void timeoutFailsTheWaitButNotTheWork() {
    DeterministicScheduler s = new DeterministicScheduler();
    CompletableFuture<String> slow = new CompletableFuture<>();
    s.schedule(Duration.ofSeconds(3), () -> slow.complete("late"));

    CompletableFuture<String> bounded = Timeouts.within(s, slow, Duration.ofSeconds(2),
        () -> new IllegalStateException("deadline")).toCompletableFuture();

    assertThatThrownBy(() -> s.await(bounded)).hasMessage("deadline");
    assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.await(slow)).isEqualTo("late");
  }

  @Test
  void thirtySecondTimeoutPassesAtOnceInVirtualTime() {
    DeterministicScheduler s = new DeterministicScheduler();

    String result = s.await(s.sleep(Duration.ofSeconds(30)).thenApply(v -> "timed out"));

    assertThat(result).isEqualTo("timed out");
    assertThat(s.now()).isEqualTo(DeterministicScheduler.DEFAULT_EPOCH.plusSeconds(30));
  }

  @Test
  void cancelledTaskNeverRuns() {
    DeterministicScheduler s = new DeterministicScheduler();
    List<String> ran = new ArrayList<>();
    Scheduler.Cancellable c = s.schedule(Duration.ofMinutes(1), () -> ran.add("x"));

    c.cancel();
    s.runUntilIdle();

    assertThat(ran).isEmpty();
  }

  @Test
  void awaitReportsAStallInsteadOfHanging() {
    DeterministicScheduler s = new DeterministicScheduler();

    assertThatThrownBy(() -> s.await(new CompletableFuture<>()))
        .isInstanceOf(SimulationStalledException.class)
        .hasMessageContaining("nothing left to run");
  }

  @Test
  void advanceRunsOnlyWhatIsDue() {
    DeterministicScheduler s = new DeterministicScheduler();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(5), () -> ran.add("5s"));
    s.schedule(Duration.ofSeconds(15), () -> ran.add("15s"));

    s.advance(Duration.ofSeconds(10));

    assertThat(ran).containsExactly("5s");
    assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void sameSeedGivesSameRandomChoices() {
    SimRandom a = new SimRandom(7);
    SimRandom b = new SimRandom(7);

    assertThat(a.hex(32)).isEqualTo(b.hex(32)).hasSize(64).matches("[0-9a-f]+");
    assertThat(a.base64Url(6)).isEqualTo(b.base64Url(6)).hasSize(8).matches("[A-Za-z0-9_-]+");
    assertThat(a.tempSuffix()).isEqualTo(b.tempSuffix()).matches("[0-9]{1,10}");
  }
}
