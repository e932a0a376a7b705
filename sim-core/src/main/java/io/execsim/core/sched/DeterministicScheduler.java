package io.execsim.core.sched;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler in virtual time, run by the thread that awaits a result. Time stands still while tasks are due and
 * jumps to the next task's due time when none is; a 30 second timeout therefore passes at once. Given the same
 * submissions, it runs the same tasks in the same order at the same virtual times.
 *
 * <p>All methods may be called from any thread, but tasks run only inside {@link #await}, {@link #runUntilIdle}
 * and {@link #advance}, on the calling thread.
 */
public final class DeterministicScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(DeterministicScheduler.class);

  /** The instant virtual time starts from unless another is given. */
  public static final Instant DEFAULT_EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant epoch;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long nowNanos;
  private long submitted;
  private long ran;

  /** A scheduler whose clock starts at {@link #DEFAULT_EPOCH}. */
  public DeterministicScheduler() {
    this(DEFAULT_EPOCH);
  }

  /** A scheduler whose clock starts at {@code epoch}. */
  public DeterministicScheduler(Instant epoch) {
    this.epoch = epoch;
  }

  @Override
  public synchronized Instant now() {
    return epoch.plusNanos(nowNanos);
  }

  /** Virtual time passed since the epoch. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nowNanos);
  }

  @Override
  public void execute(Runnable task) {
    enqueue(0, task);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    Entry e = enqueue(saturatedNanos(delay), task);
    return () -> e.cancelled = true;
  }

  private synchronized Entry enqueue(long delayNanos, Runnable task) {
    long due = nowNanos + delayNanos < nowNanos ? Long.MAX_VALUE : nowNanos + delayNanos;
    Entry e = new Entry(due, submitted++, task);
    queue.add(e);
    return e;
  }

  @Override
  public <T> T await(CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    while (!f.isDone()) {
      if (!runNext(Long.MAX_VALUE)) {
        throw new SimulationStalledException("simulation stalled at +" + elapsed()
            + ": nothing left to run and the awaited result is not complete");
      }
    }
    try {
      return f.get();
    } catch (ExecutionException | CompletionException e) {
      throw rethrow(e.getCause() == null ? e : e.getCause());
    } catch (CancellationException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while awaiting a completed stage", e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new CompletionException(t);
  }

  /** Runs every task, advancing time as needed, until none is left. Returns how many ran. */
  public long runUntilIdle() {
    long before = ran;
    while (runNext(Long.MAX_VALUE)) {
      // keep going
    }
    return ran - before;
  }

  /** Runs the tasks due within {@code duration} from now, then sets the clock to now plus {@code duration}. */
  public void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = nowNanos + saturatedNanos(duration);
    }
    while (runNext(target)) {
      // keep going
    }
    synchronized (this) {
      nowNanos = Math.max(nowNanos, target);
    }
  }

  /**
   * Runs tasks in order, advancing time as needed, until {@code done} holds or {@code limit} from now has passed.
   * The clock then stands at the time of the task after which {@code done} held, or at now plus {@code limit}.
   * Returns whether {@code done} held.
   */
  public boolean advanceUntil(BooleanSupplier done, Duration limit) {
    long target;
    synchronized (this) {
      long l = saturatedNanos(limit);
      target = nowNanos + l < nowNanos ? Long.MAX_VALUE : nowNanos + l;
    }
    while (!done.getAsBoolean()) {
      if (!runNext(target)) {
        synchronized (this) {
          nowNanos = Math.max(nowNanos, target);
        }
        return done.getAsBoolean();
      }
    }
    return true;
  }

  /** The number of tasks waiting, cancelled ones included until their time comes. */
  public synchronized int pending() {
    return queue.size();
  }

  /** The number of tasks run so far. */
  public synchronized long tasksRun() {
    return ran;
  }

  private boolean runNext(long notAfterNanos) {
    Entry e;
    synchronized (this) {
      while (true) {
        e = queue.peek();
        if (e == null || e.dueNanos > notAfterNanos) {
          return false;
        }
        queue.poll();
        if (!e.cancelled) {
          break;
        }
      }
      nowNanos = Math.max(nowNanos, e.dueNanos);
      ran++;
    }
    try {
      e.task.run();
    } catch (RuntimeException ex) {
      log.warn("task failed at +{}; the simulation goes on", Duration.ofNanos(e.dueNanos), ex);
    }
    return true;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static final class Entry implements Comparable<Entry> {
    final long dueNanos;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Entry(long dueNanos, long seq, Runnable task) {
      this.dueNanos = dueNanos;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
