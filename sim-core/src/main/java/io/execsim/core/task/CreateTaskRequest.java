package io.execsim.core.task;

/**
 * The {@code Create} call: a container's task, its init process created but not started.
 *
 * @param id the container id
 * @param bundle the node path of the OCI bundle ({@code config.json} and the root file system)
 */
public record CreateTaskRequest(String id, String bundle) {
}
