package io.execsim.core.remotecommand;

import io.execsim.core.process.TerminalSize;
import io.execsim.core.sched.Scheduler;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A queue of terminal sizes fed by the side that decodes them, as the Go channel between a server's resize decoder and
 * whoever applies the sizes: sizes are held until asked for, a waiting {@link #next()} completes in a task of its own,
 * and after {@link #end()} the sizes still held are handed out before the end is.
 */
public final class TerminalSizeChannel implements TerminalSizeQueue {
  private final Scheduler scheduler;
  private final ArrayDeque<TerminalSize> sizes = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<Optional<TerminalSize>>> waiting = new ArrayDeque<>();
  private boolean ended;

  /** An empty channel whose waiting readers are completed on {@code scheduler}. */
  public TerminalSizeChannel(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public synchronized CompletionStage<Optional<TerminalSize>> next() {
    if (!sizes.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(sizes.poll()));
    }
    if (ended) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Optional<TerminalSize>> f = new CompletableFuture<>();
    waiting.add(f);
    return f;
  }

  /** Adds a size; after the end, nothing. */
  public synchronized void offer(TerminalSize size) {
    Objects.requireNonNull(size, "size");
    if (ended) {
      return;
    }
    CompletableFuture<Optional<TerminalSize>> f = waiting.poll();
    if (f == null) {
      sizes.add(size);
    } else {
      scheduler.execute(() -> f.complete(Optional.of(size)));
    }
  }

  /** Ends the channel, as closing it does; ending twice does nothing. */
  public synchronized void end() {
    ended = true;
    while (!waiting.isEmpty()) {
      CompletableFuture<Optional<TerminalSize>> f = waiting.poll();
      scheduler.execute(() -> f.complete(Optional.empty()));
    }
  }
}
