package io.execsim.core.oci;

import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import java.util.List;
import java.util.Map;

/**
 * One run of an OCI runtime command.
 *
 * @param args the argument vector after the binary's name, e.g. {@code --root /run/.. exec --process F cid}
 * @param env the environment
 * @param stdin standard input, inherited by a process the command starts
 * @param stdout standard output, inherited likewise
 * @param stderr standard error, inherited likewise; the runtime's own messages go here unless it logs to a file
 */
public record Invocation(List<String> args, Map<String, String> env, ByteSource stdin, ByteSink stdout,
    ByteSink stderr) {

  /** Copies the arguments and the environment. */
  public Invocation {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }
}
