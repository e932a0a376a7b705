package io.execsim.core.task;

import java.time.Instant;

/**
 * How a process ended, as {@code Wait} and {@code Delete} answer.
 *
 * @param pid its pid
 * @param exitStatus its status: the exit code, or 128 plus the killing signal
 * @param exitedAt when it ended
 */
public record ExitResponse(int pid, int exitStatus, Instant exitedAt) {
}
