package io.execsim.cri;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import java.util.List;

/**
 * A command that ran and exited with a non-zero code, as the streaming runtime reports it to the streaming server:
 * {@code error executing command [sh -c exit 3], exit code 3}.
 */
public final class CodeExitError extends GoError {
  private final int code;

  /** The error of {@code cmd} exiting with {@code code}. */
  public CodeExitError(List<String> cmd, int code) {
    super("error executing command " + GoText.slice(cmd) + ", exit code " + code, null, null);
    this.code = code;
  }

  /** The exit code. */
  public int code() {
    return code;
  }
}
