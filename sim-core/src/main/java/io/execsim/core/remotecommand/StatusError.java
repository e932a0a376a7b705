package io.execsim.core.remotecommand;

import io.execsim.core.error.GoError;
import java.util.Optional;

/**
 * A {@code metav1.Status} failure a server answered, as client-go's {@code apierrors.StatusError}: its text is the
 * status message; kubectl prints it as {@code Error from server (<Reason>): <message>}.
 */
public final class StatusError extends GoError {
  private final RemoteCommandStatus status;

  /** The error carrying {@code status} as the server sent it. */
  public StatusError(RemoteCommandStatus status) {
    super(status.message());
    this.status = status;
  }

  /** The error of a failure status with {@code message}, {@code reason} (may be empty) and HTTP {@code code}. */
  public static StatusError of(String message, String reason, int code) {
    return new StatusError(new RemoteCommandStatus("Status", "v1", RemoteCommandStatus.FAILURE, message, reason,
        Optional.empty(), code));
  }

  /** The status as the server sent it. */
  public RemoteCommandStatus status() {
    return status;
  }

  /** The status reason, e.g. {@code NotFound}; empty when the status had none. */
  public String reason() {
    return status.reason();
  }

  /** The HTTP status code the status carried, 0 when unset. */
  public int code() {
    return status.code();
  }
}
