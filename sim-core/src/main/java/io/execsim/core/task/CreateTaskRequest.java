package io.execsim.core.task;

import java.util.Optional;

/**
 * The {@code Create} call: a container's task, its init process created but not started.
 *
 * @param id the container id
 * @param bundle the node path of the OCI bundle ({@code config.json} and the root file system)
 * @param terminal whether the init process gets a terminal
 * @param stdin the node path of the init's stdin FIFO, if it reads input
 * @param stdout the node path of its stdout FIFO, if wanted
 * @param stderr the node path of its stderr FIFO, if wanted
 */
public record CreateTaskRequest(String id, String bundle, boolean terminal, Optional<String> stdin,
    Optional<String> stdout, Optional<String> stderr) {

  /** A task whose init process has no standard streams the client reads, as the CRI creates one here. */
  public CreateTaskRequest(String id, String bundle) {
    this(id, bundle, false, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
