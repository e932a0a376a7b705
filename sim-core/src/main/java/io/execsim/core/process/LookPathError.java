package io.execsim.core.process;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;

/**
 * A command that could not be resolved to an executable, as Go's {@code exec.LookPath} reports it:
 * {@code exec: "<name>": <reason>}.
 */
public final class LookPathError extends GoError {
  private final String name;
  private final Reason reason;

  /** Why a command could not be run. */
  public enum Reason {
    /** A bare name not found through {@code PATH}. */
    NOT_FOUND,
    /** A path that does not exist. */
    NO_SUCH_FILE,
    /** A path that exists but is a directory or has no execute bit. */
    PERMISSION_DENIED
  }

  /** The error for {@code name}, whose detail text is {@code detail}. */
  public LookPathError(String name, Reason reason, String detail) {
    super("exec: " + GoText.quote(name) + ": " + detail, null, null);
    this.name = name;
    this.reason = reason;
  }

  /** The command name as given. */
  public String name() {
    return name;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
