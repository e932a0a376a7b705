package io.execsim.core.task;

/**
 * Names one process of a task: the container's and the exec's ids.
 *
 * @param id the container id
 * @param execId the exec id
 */
public record ProcessRef(String id, String execId) {
}
