package io.execsim.core.task;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer to {@code State}: a process of a task as the shim sees it.
 *
 * @param id the container id for the init process, the exec id for an exec
 * @param bundle the node path of the container's bundle
 * @param pid its pid, 0 before it was started
 * @param status where it stands
 * @param stdin the node path of its stdin FIFO, if it has one
 * @param stdout the node path of its stdout FIFO, if it has one
 * @param stderr the node path of its stderr FIFO, if it has one
 * @param terminal whether it has a terminal
 * @param exitStatus its status once stopped: the exit code, or 128 plus the killing signal
 * @param exitedAt when it stopped, once stopped
 */
public record StateResponse(String id, String bundle, int pid, TaskStatus status, Optional<String> stdin,
    Optional<String> stdout, Optional<String> stderr, boolean terminal, int exitStatus, Optional<Instant> exitedAt) {
}
