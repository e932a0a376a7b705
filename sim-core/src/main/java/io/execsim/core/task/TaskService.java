package io.execsim.core.task;

import java.util.concurrent.CompletionStage;

/**
 * The shim's task service ({@code containerd.task.v2.Task} over ttrpc), the calls an exec needs. As the caller
 * sees it across the ttrpc boundary: a failed call fails its stage with an {@link io.execsim.core.error.RpcError}
 * whose code is the errdefs class of the shim's error (Unknown for a plain one).
 */
public interface TaskService {

  /** Creates a container's task; its init process is created, not started. Completes with the init's pid. */
  CompletionStage<StartResponse> create(CreateTaskRequest request);

  /** Freezes a container's task. */
  CompletionStage<Void> pause(String id);

  /** Thaws a container's task. */
  CompletionStage<Void> resume(String id);

  /** Registers an exec process; nothing runs yet. */
  CompletionStage<Void> exec(ExecProcessRequest request);

  /** Starts the init process (an empty exec id) or a registered exec process; completes with its pid. */
  CompletionStage<StartResponse> start(ProcessRef request);

  /** Completes when the process has exited. */
  CompletionStage<ExitResponse> waitFor(ProcessRef request);

  /** Sends a signal to the process. */
  CompletionStage<Void> kill(KillRequest request);

  /** Resizes the process's terminal; does nothing without one. */
  CompletionStage<Void> resizePty(ResizePtyRequest request);

  /** Closes the process's standard input. */
  CompletionStage<Void> closeIo(ProcessRef request);

  /**
   * Removes an exited exec process, after its output drained; with an empty exec id, deletes the container's task
   * (its init stopped or never started). Completes with the process's exit.
   */
  CompletionStage<ExitResponse> delete(ProcessRef request);

  /** Where the init process (an empty exec id) or an exec process stands, with its standard streams. */
  CompletionStage<StateResponse> state(ProcessRef request);

  /** Asks the shim to exit once it serves no task; the task of {@code id} is the one containerd is done with. */
  CompletionStage<Void> shutdown(String id);
}
