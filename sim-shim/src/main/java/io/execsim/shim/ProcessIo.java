package io.execsim.shim;

import io.execsim.core.sched.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What the shim holds of a started exec's IO: {@link ProcessPipes} without a terminal, {@link ProcessConsole} with. */
interface ProcessIo {

  /** Closes the shim's own writer of the stdin FIFO, as {@code CloseIO} does; input ends once containerd's is gone. */
  void closeStdinFifo();

  /** Completes when the output copies have finished, or after {@code limit}, whichever comes first. */
  CompletionStage<Void> drained(Duration limit);

  /** Closes whatever the shim still holds of the exec's IO. */
  void close();

  /** Completes when {@code work} completes, however it ends, or after {@code limit}, whichever comes first. */
  static CompletionStage<Void> within(Scheduler scheduler, CompletionStage<?> work, Duration limit) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(limit, () -> done.complete(null));
    work.whenComplete((v, e) -> {
      timer.cancel();
      done.complete(null);
    });
    return done;
  }
}
