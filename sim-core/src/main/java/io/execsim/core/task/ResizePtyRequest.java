package io.execsim.core.task;

/**
 * The {@code ResizePty} call.
 *
 * @param ref the process
 * @param width columns
 * @param height rows
 */
public record ResizePtyRequest(ProcessRef ref, int width, int height) {
}
