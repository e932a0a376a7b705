package io.execsim.core.oci;

import io.execsim.core.sched.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An OCI runtime behind a wrapper that waits before one of its commands, as a shell script that sleeps and then
 * {@code exec}s the real binary: an invocation whose arguments contain {@code command} starts {@code delay} later;
 * every other one starts at once. Nothing times the wait out, so the caller waits as long.
 */
public final class DelayedRuntime implements OciRuntime {
  private final OciRuntime runtime;
  private final Scheduler scheduler;
  private final String command;
  private final Duration delay;

  /** {@code runtime}, each invocation that has the argument {@code command} (e.g. {@code exec}) delayed. */
  public DelayedRuntime(OciRuntime runtime, Scheduler scheduler, String command, Duration delay) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.command = Objects.requireNonNull(command, "command");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    this.delay = delay;
  }

  @Override
  public CompletionStage<Integer> invoke(Invocation invocation) {
    // the wrapper looks at every argument, as the reference's script does
    if (!invocation.args().contains(command)) {
      return runtime.invoke(invocation);
    }
    return scheduler.sleep(delay).thenCompose(v -> runtime.invoke(invocation));
  }
}
