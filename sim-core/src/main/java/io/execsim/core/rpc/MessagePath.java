package io.execsim.core.rpc;

import io.execsim.core.sched.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One way of a call connection, requests or answers: each message passes the stages put on it, in the order they
 * were added, and is delivered after the last; without stages at once. Dropping the path (the connection broke)
 * forgets what the stages hold, cancels their timers, and delivers nothing more. Used on the simulation's thread.
 */
final class MessagePath {
  private final Scheduler scheduler;
  private final List<Stage> stages = new ArrayList<>();
  private boolean dropped;

  MessagePath(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** {@code delivery} enters the first stage, or runs now without stages. */
  void send(Runnable delivery) {
    if (dropped) {
      return;
    }
    if (stages.isEmpty()) {
      delivery.run();
    } else {
      stages.get(0).accept(delivery);
    }
  }

  /** Each message waits for the delay {@code delays} draws for it, and never overtakes the one before it. */
  Stage delay(Supplier<Duration> delays) {
    return add(new Delay(delays));
  }

  /** Every message waits until the stage is removed. */
  Stage hold() {
    return add(new Hold());
  }

  private Stage add(Stage s) {
    if (!dropped) {
      stages.add(s);
    } else {
      s.done = true;
    }
    return s;
  }

  void drop() {
    dropped = true;
    List<Stage> all = List.copyOf(stages);
    stages.clear();
    for (Stage s : all) {
      s.done = true;
      s.cancel();
      s.held.clear();
    }
  }

  private void forward(Stage from, Runnable delivery) {
    if (dropped) {
      return;
    }
    int i = stages.indexOf(from);
    if (i < 0) {
      return;
    }
    if (i + 1 < stages.size()) {
      stages.get(i + 1).accept(delivery);
    } else {
      delivery.run();
    }
  }

  private void remove(Stage s) {
    if (s.done || !stages.contains(s)) {
      return;
    }
    s.cancel();
    while (!s.held.isEmpty()) {
      forward(s, s.held.poll().delivery());
    }
    s.done = true;
    stages.remove(s);
  }

  private record Held(Instant due, Runnable delivery) {
  }

  /** A stage of the path; {@link #remove} hands on what it holds, in order. */
  abstract class Stage {
    final ArrayDeque<Held> held = new ArrayDeque<>();
    boolean done;

    abstract void accept(Runnable delivery);

    void cancel() {
    }

    /** Takes the stage off its path; what it holds goes on at once. */
    void remove() {
      MessagePath.this.remove(this);
    }

    boolean isActive() {
      return !done;
    }
  }

  private final class Delay extends Stage {
    private final Supplier<Duration> delays;
    private @Nullable Instant lastDue;
    private Scheduler.@Nullable Cancellable timer;

    Delay(Supplier<Duration> delays) {
      this.delays = delays;
    }

    @Override
    void accept(Runnable delivery) {
      Duration d = delays.get();
      Instant due = scheduler.now().plus(d.isNegative() ? Duration.ZERO : d);
      if (lastDue != null && due.isBefore(lastDue)) {
        due = lastDue;
      }
      lastDue = due;
      held.add(new Held(due, delivery));
      if (timer == null) {
        arm();
      }
    }

    private void arm() {
      Held next = held.peek();
      timer = next == null ? null : scheduler.schedule(Duration.between(scheduler.now(), next.due()), this::release);
    }

    private void release() {
      if (done) {
        return;
      }
      Instant now = scheduler.now();
      while (!held.isEmpty() && !held.peek().due().isAfter(now)) {
        forward(this, held.poll().delivery());
        if (done) {
          return;
        }
      }
      arm();
    }

    @Override
    void cancel() {
      Scheduler.Cancellable t = timer;
      if (t != null) {
        t.cancel();
        timer = null;
      }
    }
  }

  private final class Hold extends Stage {
    @Override
    void accept(Runnable delivery) {
      held.add(new Held(Instant.MIN, delivery));
    }
  }
}
