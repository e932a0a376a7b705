package io.execsim.core.task;

import java.util.concurrent.CompletionStage;

/**
 * The shim's task service ({@code containerd.task.v2.Task} over ttrpc), the calls an exec needs. As the caller
 * sees it across the ttrpc boundary: a failed call fails its stage with an {@link io.execsim.core.error.RpcError}
 * whose code is the errdefs class of the shim's error (Unknown for a plain one).
 */
public interface TaskService {

  /** Registers an exec process; nothing runs yet. */
  CompletionStage<Void> exec(ExecProcessRequest request);

  /** Starts a registered exec process through the OCI runtime; completes with its pid. */
  CompletionStage<StartResponse> start(ProcessRef request);

  /** Completes when the process has exited. */
  CompletionStage<ExitResponse> waitFor(ProcessRef request);

  /** Sends a signal to the process. */
  CompletionStage<Void> kill(KillRequest request);

  /** Resizes the process's terminal; does nothing without one. */
  CompletionStage<Void> resizePty(ResizePtyRequest request);

  /** Closes the process's standard input. */
  CompletionStage<Void> closeIo(ProcessRef request);

  /** Removes an exited exec process, after its output drained; completes with its exit. */
  CompletionStage<ExitResponse> delete(ProcessRef request);
}
