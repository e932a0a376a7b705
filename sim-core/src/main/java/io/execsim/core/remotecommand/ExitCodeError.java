package io.execsim.core.remotecommand;

import io.execsim.core.error.GoError;

/**
 * A command that exited with a non-zero code, as client-go reports it ({@code exec.CodeExitError}); kubectl prints
 * the text and exits with the code.
 */
public final class ExitCodeError extends GoError {
  private final int code;

  /** The error of a command that exited with {@code code}. */
  public ExitCodeError(int code) {
    super("command terminated with exit code " + code, null, null);
    this.code = code;
  }

  /** The exit code. */
  public int code() {
    return code;
  }
}
