package io.execsim.core.task;

import io.execsim.core.process.Signal;

/**
 * The {@code Kill} call.
 *
 * @param ref the process
 * @param signal the signal to send
 */
public record KillRequest(ProcessRef ref, Signal signal) {
}
