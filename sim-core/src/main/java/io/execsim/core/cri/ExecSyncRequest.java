package io.execsim.core.cri;

import java.time.Duration;
import java.util.List;

/**
 * The CRI {@code ExecSyncRequest}.
 *
 * @param containerId the container
 * @param cmd the command and its arguments
 * @param timeout how long the command may run; zero for no limit
 */
public record ExecSyncRequest(String containerId, List<String> cmd, Duration timeout) {

  /** Copies the command and checks the timeout. */
  public ExecSyncRequest {
    cmd = List.copyOf(cmd);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
  }
}
