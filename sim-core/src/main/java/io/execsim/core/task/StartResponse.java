package io.execsim.core.task;

/**
 * The answer to {@code Start}.
 *
 * @param pid the started process's pid
 */
public record StartResponse(int pid) {
}
