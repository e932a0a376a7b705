package io.execsim.kubectl;

import java.util.List;
import java.util.Optional;

/**
 * What a user types: {@code kubectl exec [-i] [-t] [-n NS] POD [-c CONTAINER] -- COMMAND...}.
 *
 * @param namespace the pod's namespace
 * @param pod the pod's name
 * @param container the container, if named with {@code -c}
 * @param command the command and its arguments
 * @param stdin the input piped to kubectl with {@code -i}, if any
 * @param tty whether {@code -t} was given and stdin is a terminal
 */
public record ExecCommand(String namespace, String pod, Optional<String> container, List<String> command,
    Optional<byte[]> stdin, boolean tty) {

  /** Copies the command. */
  public ExecCommand {
    command = List.copyOf(command);
  }

  /** {@code kubectl exec -n NS POD -- COMMAND...}. */
  public static ExecCommand of(String namespace, String pod, String... command) {
    return new ExecCommand(namespace, pod, Optional.empty(), List.of(command), Optional.empty(), false);
  }

  /** This command with {@code -c CONTAINER}. */
  public ExecCommand inContainer(String name) {
    return new ExecCommand(namespace, pod, Optional.of(name), command, stdin, tty);
  }

  /** This command with {@code -i} and {@code input} piped in. */
  public ExecCommand withStdin(byte[] input) {
    return new ExecCommand(namespace, pod, container, command, Optional.of(input.clone()), tty);
  }

  /** This command with {@code -t}. */
  public ExecCommand withTty() {
    return new ExecCommand(namespace, pod, container, command, stdin, true);
  }
}
