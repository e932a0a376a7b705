package io.execsim.core.task;

import java.util.concurrent.CompletionStage;

/**
 * The shim binary ({@code containerd-shim-runc-v2}) as containerd runs it: {@code start} for a new container, and
 * {@code delete} to clean up after a shim that died.
 */
public interface ShimBinary {

  /**
   * {@code start}: starts the container's shim, which serves the task service on a unix socket and writes that
   * socket's address ({@code unix://<path>}) to the bundle's {@code address} file. Completes with the address.
   */
  CompletionStage<String> start(ShimArgs args);

  /**
   * {@code delete}: cleans up after the container's shim died, as its runtime's {@code delete --force} does: the
   * container's processes are killed and the runtime forgets it. Completes with the init's exit.
   */
  CompletionStage<ExitResponse> delete(ShimArgs args);
}
