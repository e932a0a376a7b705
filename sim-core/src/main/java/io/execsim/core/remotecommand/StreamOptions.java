package io.execsim.core.remotecommand;

import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import java.util.Optional;

/**
 * What a client streams, as client-go's {@code StreamOptions}: the local ends of the streams it asked for, whether
 * the remote process has a terminal, and the sizes of that terminal.
 *
 * @param stdin input to send, read to its end, then closed remotely
 * @param stdout where the process's output goes; closed at its end
 * @param stderr where the process's error output goes; closed at its end; never with a terminal
 * @param tty whether the process has a terminal
 * @param resize the terminal's sizes, with a terminal
 */
public record StreamOptions(Optional<ByteSource> stdin, Optional<ByteSink> stdout, Optional<ByteSink> stderr,
    boolean tty, Optional<TerminalSizeQueue> resize) {
}
