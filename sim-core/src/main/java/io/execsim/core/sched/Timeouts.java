package io.execsim.core.sched;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Bounding the wait for a stage, as a Go context with a deadline bounds a call. */
public final class Timeouts {

  private Timeouts() {
  }

  /**
   * {@code work}'s outcome if it comes within {@code limit}, else a failure with {@code expired}'s error at the
   * limit; {@code work} itself goes on. A limit that is zero or negative has passed already.
   */
  public static <T> CompletionStage<T> within(Scheduler scheduler, CompletionStage<T> work, Duration limit,
      Supplier<? extends RuntimeException> expired) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(limit.isNegative() ? Duration.ZERO : limit,
        () -> out.completeExceptionally(expired.get()));
    work.whenComplete((v, e) -> {
      timer.cancel();
      if (e == null) {
        out.complete(v);
      } else {
        out.completeExceptionally(e);
      }
    });
    return out;
  }
}
