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
 * @param stdin the input piped to kubectl with {@code -i}, if any; with a terminal, the keys typed on it
 * @param tty whether {@code -t} was given; kubectl gives the process a terminal only with {@code -i} from a terminal
 * @param terminal the terminal kubectl runs in, as the sizes it reports (the initial size first, then one per
 *     resize), when {@code -i} reads a terminal: it never ends, and only the keys of {@link #typing} are typed on it
 */
public record ExecCommand(String namespace, String pod, Optional<String> container, List<String> command,
    Optional<byte[]> stdin, boolean tty, Optional<TerminalSizeQueue> terminal) {

  /** Copies the command. */
  public ExecCommand {
    command = List.copyOf(command);
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(terminal, "terminal");
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
   * {@code kubectl exec -it}. Nothing is typed on it unless {@link #typing} says what.
   */
  public ExecCommand withTerminal(TerminalSizeQueue sizes) {
    return new ExecCommand(namespace, pod, container, command, Optional.empty(), tty,
        Optional.of(Objects.requireNonNull(sizes, "sizes")));
  }

  /**
   * This command with {@code keys} typed on its terminal as soon as the exec runs, as the bytes a terminal in raw
   * mode sends: the return key is {@code \r}, {@code ^C} is byte 3, backspace is byte 127.
   *
   * @throws IllegalStateException if the command has no {@link #withTerminal terminal}
   */
  public ExecCommand typing(byte[] keys) {
    if (terminal.isEmpty()) {
      throw new IllegalStateException("keys are typed on a terminal; give the command one with withTerminal");
    }
    return new ExecCommand(namespace, pod, container, command, Optional.of(keys.clone()), tty, terminal);
  }
}
