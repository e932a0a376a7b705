package io.execsim.cri;

import io.execsim.core.error.GoError;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.rpc.CallLink;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.task.TaskService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * containerd's side of the ttrpc link to a shim: each call goes over the connection, and its failure becomes a
 * native error as {@code errgrpc.ToNative} makes it, so its class survives and {@code ": unknown"} appears once. A
 * failure that is no status (the connection's {@code ttrpc: closed}) becomes an unknown error, as
 * {@code errdefs.FromGRPC} makes it.
 */
final class TaskClient {
  /** What ttrpc's client returns for every call once the shim's end of the connection is gone. */
  static final String CLOSED = "ttrpc: closed";

  private final TaskService shim;
  private final CallLink link;

  private TaskClient(TaskService shim, CallLink link) {
    this.shim = shim;
    this.link = link;
  }

  /** A new ttrpc connection to the shim served by {@code server}. */
  static TaskClient connect(CallServer<?> server) {
    TaskService shim = server.service(TaskService.class)
        .orElseThrow(() -> new IllegalArgumentException("not a shim's task service: " + server.service()));
    return new TaskClient(shim, server.connect(GoError.of(CLOSED)));
  }

  /** The connection. */
  CallLink link() {
    return link;
  }

  /** Whether {@code e} is the error of a call on a connection whose shim is gone. */
  static boolean isClosed(GoError e) {
    return e.text().startsWith(CLOSED);
  }

  <T> CompletionStage<T> call(Function<TaskService, CompletionStage<T>> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    link.call(() -> call.apply(shim)).whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
        return;
      }
      GoError err = GoError.from(e);
      RpcError status = err instanceof RpcError ? (RpcError) err : RpcError.of(RpcCode.UNKNOWN, err.text());
      out.completeExceptionally(status.toNative());
    });
    return out;
  }
}
