package io.execsim.kubectl;

import io.execsim.core.remotecommand.TerminalSizeQueue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user types: {@code kubectl exec [-i] [-t] [-n NS] POD [-c CONTAINER] -- COMMAND...}, and what kubectl's
 * standard input is: a pipe of given bytes, or a terminal.
 *
 * @param namespace the pod's namespace
 * @param pod the pod's name
 * @param container the container, if named with {@code -c}
 * @param command the command and its arguments
 * @param stdin the input piped to kubectl with {@code -i}, if any
 * @param tty whether {@code -t} was given; kubectl gives the process a terminal only with {@code -i} from a terminal
 * @param terminal the terminal kubectl runs in, as the sizes it reports (the initial size first, then one per
 *     resize), when {@code -i} reads a terminal: no keys are typed on it and it never ends
 */
public record ExecCommand(String namespace, String pod, Optional<String> container, List<String> command,
    Optional<byte[]> stdin, boolean tty, Optional<TerminalSizeQueue> terminal) {

  /** Copies the command; a pipe and a terminal cannot both be kubectl's input. */
  public ExecCommand {
    command = List.copyOf(command);
    Objects.requireNonNull(terminal, "terminal");
    if (stdin.isPresent() && terminal.isPresent()) {
      throw new IllegalArgumentException("stdin is either piped bytes or a terminal, not both");
    }
  }

  /** {@code kubectl exec -n NS POD -- COMMAND...}. */
  public static ExecCommand of(String namespace, String pod, String... command) {
    return new ExecCommand(namespace, pod, Optional.empty(), List.of(command), Optional.empty(), false,
        Optional.empty());
  }

  /** This command with {@code -c CONTAINER}. */
  public ExecCommand inContainer(String name) {
    return new ExecCommand(namespace, pod, Optional.of(name), command, stdin, tty, terminal);
  }

  /** This command with {@code -i} and {@code input} piped in. */
  public ExecCommand withStdin(byte[] input) {
    return new ExecCommand(namespace, pod, container, command, Optional.of(input.clone()), tty, Optional.empty());
  }

  /** This command with {@code -t}. */
  public ExecCommand withTty() {
    return new ExecCommand(namespace, pod, container, command, stdin, true, terminal);
  }

  /**
   * This command with {@code -i} typed in a terminal whose sizes are {@code sizes}; with {@link #withTty()} this is
   * {@code kubectl exec -it}.
   */
  public ExecCommand withTerminal(TerminalSizeQueue sizes) {
    return new ExecCommand(namespace, pod, container, command, Optional.empty(), tty,
        Optional.of(Objects.requireNonNull(sizes, "sizes")));
  }
}
