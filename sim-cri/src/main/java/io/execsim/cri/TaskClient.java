package io.execsim.cri;

import io.execsim.core.error.GoError;
import io.execsim.core.error.RpcError;
import io.execsim.core.task.TaskService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * containerd's side of the ttrpc link to a shim: each call's failure status becomes a native error as
 * {@code errgrpc.ToNative} makes it, so its class survives and {@code ": unknown"} appears once.
 */
final class TaskClient {
  private final TaskService shim;

  TaskClient(TaskService shim) {
    this.shim = shim;
  }

  <T> CompletionStage<T> call(Function<TaskService, CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.apply(shim);
    } catch (RpcError e) {
      return CompletableFuture.failedFuture(e.toNative());
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
        return;
      }
      GoError err = GoError.from(e);
      out.completeExceptionally(err instanceof RpcError ? ((RpcError) err).toNative() : err);
    });
    return out;
  }
}
