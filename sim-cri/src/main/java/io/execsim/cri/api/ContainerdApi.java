package io.execsim.cri.api;

import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.StartResponse;
import io.execsim.core.task.StateResponse;
import java.util.concurrent.CompletionStage;

/**
 * containerd's containers and tasks services ({@code containerd.services.containers.v1.Containers},
 * {@code containerd.services.tasks.v1.Tasks}) as a gRPC client calls them, each in a namespace. A failed call fails
 * its stage with an {@link io.execsim.core.error.RpcError}, as {@code errdefs.ToGRPC} sends it: the code of the
 * error's class and its whole text, e.g. {@code NotFound: task k1 not found}.
 */
public interface ContainerdApi {

  /** {@code Containers.Get}. */
  CompletionStage<ContainerRecord> getContainer(String namespace, String id);

  /** {@code Containers.Create}. */
  CompletionStage<ContainerRecord> createContainer(String namespace, ContainerRecord container);

  /** {@code Containers.Delete}. */
  CompletionStage<Void> deleteContainer(String namespace, String id);

  /**
   * {@code Tasks.Create}: makes the container's bundle, starts its shim and creates its task; completes with the
   * init's pid.
   */
  CompletionStage<StartResponse> createTask(String namespace, CreateTaskRequest request);

  /** {@code Tasks.Start} of the init (an empty exec id) or of an exec process; completes with its pid. */
  CompletionStage<StartResponse> start(String namespace, ProcessRef request);

  /** {@code Tasks.Get}: the init's or an exec's state, as far as the shim answers within containerd's timeout. */
  CompletionStage<StateResponse> get(String namespace, ProcessRef request);

  /** {@code Tasks.Exec}: adds an exec process to the container's task. */
  CompletionStage<Void> exec(String namespace, ExecProcessRequest request);

  /** {@code Tasks.Wait}: completes when the process has exited. */
  CompletionStage<ExitResponse> waitFor(String namespace, ProcessRef request);

  /** {@code Tasks.Kill}. */
  CompletionStage<Void> kill(String namespace, KillRequest request);

  /** {@code Tasks.Pause}. */
  CompletionStage<Void> pause(String namespace, String id);

  /** {@code Tasks.Resume}. */
  CompletionStage<Void> resume(String namespace, String id);

  /** {@code Tasks.Delete}: deletes the container's task, stops its shim and removes its bundle. */
  CompletionStage<ExitResponse> deleteTask(String namespace, String id);

  /** {@code Tasks.DeleteProcess}: removes an exited exec process. */
  CompletionStage<ExitResponse> deleteProcess(String namespace, ProcessRef request);

  /** {@code Tasks.CloseIO}: closes the process's standard input. */
  CompletionStage<Void> closeIo(String namespace, ProcessRef request);
}
