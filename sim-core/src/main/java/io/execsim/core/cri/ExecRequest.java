package io.execsim.core.cri;

import java.util.List;

/**
 * The CRI {@code ExecRequest}.
 *
 * @param containerId the container
 * @param cmd the command and its arguments
 * @param tty whether to allocate a terminal
 * @param stdin whether to stream standard input
 * @param stdout whether to stream standard output
 * @param stderr whether to stream standard error
 */
public record ExecRequest(String containerId, List<String> cmd, boolean tty, boolean stdin, boolean stdout,
    boolean stderr) {

  /** Copies the command. */
  public ExecRequest {
    cmd = List.copyOf(cmd);
  }
}
