package io.execsim.core.oci;

import java.util.concurrent.CompletionStage;

/**
 * An OCI runtime command line, as the shim invokes {@code runc}: an argument vector, an environment and standard
 * streams. The stage completes with the command's exit code once the command returns; with {@code --detach} that is
 * as soon as the started process runs, which then lives on in the node's process table.
 */
@FunctionalInterface
public interface OciRuntime {

  /** Runs the command line. */
  CompletionStage<Integer> invoke(Invocation invocation);
}
