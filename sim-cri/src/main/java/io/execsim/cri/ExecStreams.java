package io.execsim.cri;

import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import java.util.Optional;

/**
 * The client side of a streaming exec, as the streaming server hands it to the runtime: the streams the client
 * asked for, whether it wants a terminal, and the terminal sizes it sends.
 *
 * @param stdin the client's input, if it sends any
 * @param stdout where the process's output goes, if wanted
 * @param stderr where the process's error output goes, if wanted
 * @param tty whether the process gets a terminal
 * @param resize the sizes of the client's terminal, with a terminal: containerd resizes the exec's pty to each
 */
public record ExecStreams(Optional<ByteSource> stdin, Optional<ByteSink> stdout, Optional<ByteSink> stderr,
    boolean tty, Optional<TerminalSizeQueue> resize) {

  /** Output only: the common case of a command whose output is read. */
  public static ExecStreams output(ByteSink stdout, ByteSink stderr) {
    return new ExecStreams(Optional.empty(), Optional.of(stdout), Optional.of(stderr), false, Optional.empty());
  }

  /** Input and output. */
  public static ExecStreams withInput(ByteSource stdin, ByteSink stdout, ByteSink stderr) {
    return new ExecStreams(Optional.of(stdin), Optional.of(stdout), Optional.of(stderr), false, Optional.empty());
  }

  /** A terminal: its input, if any, the output it shows, and its sizes; a terminal has no stderr. */
  public static ExecStreams terminal(Optional<ByteSource> stdin, ByteSink stdout, TerminalSizeQueue sizes) {
    return new ExecStreams(stdin, Optional.of(stdout), Optional.empty(), true, Optional.of(sizes));
  }
}
