package io.execsim.core.sched;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scheduler on the system clock, running every task on one thread of its own, so that hops see the same
 * one-at-a-time execution as in deterministic mode while real clients connect. {@link #close()} stops the thread.
 */
public final class RealtimeScheduler implements Scheduler, AutoCloseable {
  private final Clock clock = Clock.systemUTC();
  private final Duration awaitLimit;
  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  /** A scheduler whose {@link #await} gives up after {@code awaitLimit}. */
  public RealtimeScheduler(Duration awaitLimit) {
    this.awaitLimit = awaitLimit;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "execsim-realtime");
      t.setDaemon(true);
      thread = t;
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public <T> T await(CompletionStage<T> stage) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("await on the scheduler's own thread would never return");
    }
    try {
      return stage.toCompletableFuture().get(awaitLimit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException(c);
    } catch (TimeoutException e) {
      throw new SimulationStalledException("no result within " + awaitLimit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while awaiting a result", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
