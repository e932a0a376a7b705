package io.execsim.cri.streaming;

import io.execsim.core.error.GoError;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.cri.CodeExitError;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/** The status the CRI streaming library's {@code ServeExec} writes for how the runtime's exec ended. */
final class ExecOutcome {

  private ExecOutcome() {
  }

  /**
   * Success for no failure; NonZeroExitCode for an exit code; InternalError with
   * {@code error executing command in container: <err>} for any other simulated error. Anything else is a bug in
   * the library and is thrown.
   */
  static RemoteCommandStatus status(@Nullable Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause == null) {
      return RemoteCommandStatus.success();
    }
    if (cause instanceof CodeExitError exit) {
      return RemoteCommandStatus.nonZeroExitCode(exit.code(), exit.text());
    }
    if (cause instanceof GoError err) {
      return RemoteCommandStatus.internalError("error executing command in container: " + err.text());
    }
    throw new IllegalStateException("exec ended with an exception that is no simulated error", cause);
  }
}
