package io.execsim.runc.programs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous loop. Its steps may complete at once (memory streams, files, {@code /dev/null}) or later (pipes);
 * those that complete at once run in a plain loop, so thousands of them do not grow the stack.
 */
final class AsyncLoop {
  private final Supplier<CompletionStage<Boolean>> step;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private AsyncLoop(Supplier<CompletionStage<Boolean>> step) {
    this.step = step;
  }

  /** Runs {@code step} until its stage yields false or fails; the result fails with what failed the step. */
  static CompletionStage<Void> repeat(Supplier<CompletionStage<Boolean>> step) {
    AsyncLoop loop = new AsyncLoop(step);
    loop.run();
    return loop.done;
  }

  private void run() {
    while (true) {
      CompletableFuture<Boolean> f;
      try {
        f = step.get().toCompletableFuture();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (!f.isDone()) {
        f.whenComplete((more, e) -> {
          if (settle(more, e)) {
            run();
          }
        });
        return;
      }
      boolean[] more = new boolean[1];
      // f is complete, so this callback runs here and now
      f.whenComplete((m, e) -> more[0] = settle(m, e));
      if (!more[0]) {
        return;
      }
    }
  }

  private boolean settle(@Nullable Boolean more, @Nullable Throwable error) {
    if (error != null) {
      done.completeExceptionally(error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error);
      return false;
    }
    if (more == null || !more) {
      done.complete(null);
      return false;
    }
    return true;
  }
}
