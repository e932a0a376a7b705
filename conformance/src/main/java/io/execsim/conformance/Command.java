package io.execsim.conformance;

import java.util.List;
import java.util.Map;

/**
 * A command line of a runtime tool, with its variables already replaced by one side's values.
 *
 * @param tool which tool runs
 * @param args the arguments after the tool's own connection options
 * @param env variables added to the tool's environment
 */
public record Command(Tool tool, List<String> args, Map<String, String> env) {

  /** The tools a scenario runs. */
  public enum Tool {
    /**
     * containerd's {@code ctr}, connected to the scenario's containerd ({@code ctr -a ${SOCKET} <args>}), in
     * namespace {@code default}.
     */
    CTR,
    /** {@code runc --root <the scenario's runc root> <args>}, for containers that runc runs without containerd. */
    RUNC
  }

  /** Copies the parts. */
  public Command {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** The command as a shell would show it, without the connection options. */
  @Override
  public String toString() {
    return tool.name().toLowerCase(java.util.Locale.ROOT) + " " + String.join(" ", args);
  }
}
