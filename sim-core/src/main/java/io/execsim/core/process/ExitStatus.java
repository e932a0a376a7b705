package io.execsim.core.process;

import java.util.Optional;

/**
 * How a process ended: with an exit code, or killed by a signal. The status the shim reports is the code, or
 * 128 plus the signal number for a killed process (137 for {@code SIGKILL}).
 *
 * @param code the exit code, 0 to 255, when the process exited by itself
 * @param signal the signal that killed it, when it was killed
 */
public record ExitStatus(int code, Optional<Signal> signal) {
  /** The offset the shim adds to a killing signal's number. */
  public static final int SIGNAL_OFFSET = 128;

  /** Checks the code range. */
  public ExitStatus {
    if (code < 0 || code > 255) {
      throw new IllegalArgumentException("exit code must be 0 to 255: " + code);
    }
  }

  /** A process that exited with {@code code}. */
  public static ExitStatus exited(int code) {
    return new ExitStatus(code, Optional.empty());
  }

  /** A process killed by {@code signal}. */
  public static ExitStatus killed(Signal signal) {
    return new ExitStatus(0, Optional.of(signal));
  }

  /** The status as the shim and containerd report it: the code, or 128 + signal. */
  public int status() {
    return signal.map(s -> SIGNAL_OFFSET + s.number()).orElse(code);
  }

  @Override
  public String toString() {
    return signal.map(s -> "killed by " + s).orElse("exit code " + code);
  }
}
