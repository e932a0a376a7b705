package io.execsim.core.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.io.Streams;
import io.execsim.core.sched.DeterministicScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DelayedRuntimeTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final List<String> started = new ArrayList<>();
  private final OciRuntime runc = inv -> {
    started.add(String.join(" ", inv.args()) + " at " + scheduler.elapsed().toSeconds() + "s");
    return CompletableFuture.completedFuture(0);
  };
  private final OciRuntime slow = new DelayedRuntime(runc, scheduler, "exec", Duration.ofSeconds(5));

  private static Invocation invocation(String... args) {
    return new Invocation(List.of(args), Map.of(), Streams.empty(), Streams.discard(), Streams.discard());
  }

  @Test
  void execStartsOnlyAfterTheDelay() {
    int code = scheduler.await(slow.invoke(invocation("--root", "/run/runc", "exec", "--detach", "c1")));

    assertThat(code).isZero();
    assertThat(started).containsExactly("--root /run/runc exec --detach c1 at 5s");
  }

  @Test
  void otherCommandsStartAtOnce() {
    scheduler.await(slow.invoke(invocation("delete", "--force", "c1")));

    assertThat(started).containsExactly("delete --force c1 at 0s");
  }
}
