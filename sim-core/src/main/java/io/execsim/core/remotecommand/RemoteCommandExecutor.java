package io.execsim.core.remotecommand;

import java.util.concurrent.CompletionStage;

/**
 * A client of the remote command protocol over one transport, as client-go's {@code Executor}: it upgrades one
 * connection and streams. The stage completes normally when the command exited with 0, and fails with an
 * {@link ExitCodeError} for another code, an {@link UpgradeFailureError} when the upgrade itself failed, or another
 * {@link io.execsim.core.error.GoError} carrying client-go's text.
 */
@FunctionalInterface
public interface RemoteCommandExecutor {

  /** Upgrades a connection and streams until the remote side is done. */
  CompletionStage<Void> stream(StreamOptions options);
}
