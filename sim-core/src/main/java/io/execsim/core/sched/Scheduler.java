package io.execsim.core.sched;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The one clock and executor every hop of a simulated cluster uses. Hops never start threads or read the wall
 * clock; they submit work here and read {@link #now()}. Tasks run one at a time, in order of their due time and,
 * at equal times, of submission.
 */
public interface Scheduler extends Executor {

  /** The current time of this scheduler: virtual in deterministic mode, the system clock in realtime mode. */
  Instant now();

  /** Runs {@code task} as soon as possible, after the tasks already due. */
  @Override
  void execute(Runnable task);

  /** Runs {@code task} once {@code delay} has passed; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Waits for {@code stage} and returns its value, or throws what failed it. In deterministic mode the caller's
   * thread drives the simulation until the stage completes.
   *
   * @throws SimulationStalledException when nothing is left to run and the stage is not complete
   */
  <T> T await(CompletionStage<T> stage);

  /** A stage that completes, on this scheduler, after {@code delay}. */
  default CompletionStage<Void> sleep(Duration delay) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    schedule(delay, () -> done.complete(null));
    return done;
  }

  /** A handle on a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet; does nothing otherwise. */
    void cancel();
  }
}
