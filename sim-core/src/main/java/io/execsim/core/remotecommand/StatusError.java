package io.execsim.core.remotecommand;

import io.execsim.core.error.GoError;

/**
 * A {@code metav1.Status} failure a server answered, as client-go's {@code apierrors.StatusError}: its text is the
 * status message; kubectl prints it as {@code Error from server (<Reason>): <message>}.
 */
public final class StatusError extends GoError {
  private final String reason;
  private final int code;

  /** The error of a status with {@code message}, {@code reason} (may be empty) and HTTP {@code code}. */
  public StatusError(String message, String reason, int code) {
    super(message, null, null);
    this.reason = reason;
    this.code = code;
  }

  /** The status reason, e.g. {@code NotFound}; empty when the status had none. */
  public String reason() {
    return reason;
  }

  /** The HTTP status code the status carried. */
  public int code() {
    return code;
  }
}
