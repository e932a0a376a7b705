package io.execsim.core.task;

import io.execsim.core.oci.ProcessSpec;
import java.util.Optional;

/**
 * The {@code Exec} call: a process to add to a container's task.
 *
 * @param id the container id
 * @param execId the exec id, unique within the task
 * @param terminal whether the process gets a terminal
 * @param stdin the node path of the stdin FIFO, if the process reads input
 * @param stdout the node path of the stdout FIFO, if wanted
 * @param stderr the node path of the stderr FIFO, if wanted
 * @param spec the process spec
 */
public record ExecProcessRequest(String id, String execId, boolean terminal, Optional<String> stdin,
    Optional<String> stdout, Optional<String> stderr, ProcessSpec spec) {

  /** The process this request names. */
  public ProcessRef ref() {
    return new ProcessRef(id, execId);
  }
}
