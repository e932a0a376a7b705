package io.execsim.core.error;

/** A child process that ended with a non-zero status, as Go's {@code *exec.ExitError} prints it. */
public final class ExitError extends GoError {
  private final int status;

  /** The error of a child that exited with {@code status}. */
  public ExitError(int status) {
    super("exit status " + status, null, null);
    this.status = status;
  }

  /** The exit status. */
  public int status() {
    return status;
  }
}
