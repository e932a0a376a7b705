package io.execsim.core.remotecommand;

import io.execsim.core.error.GoError;

/**
 * The upgrade of a streaming request failed before any stream existed, as client-go's
 * {@code httpstream.UpgradeFailureError}; only this failure lets kubectl fall back from WebSocket to SPDY.
 */
public final class UpgradeFailureError extends GoError {

  /** The failure whose cause is {@code cause}. */
  public UpgradeFailureError(GoError cause) {
    super("unable to upgrade streaming request: " + cause.text(), cause, null);
  }
}
