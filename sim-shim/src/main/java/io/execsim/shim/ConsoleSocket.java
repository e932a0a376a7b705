package io.execsim.shim;

import io.execsim.core.fs.Paths;
import io.execsim.core.io.Pty;
import io.execsim.core.node.Node;
import io.execsim.core.node.UnixListener;
import java.util.concurrent.CompletionStage;

/**
 * go-runc's temp console socket ({@code NewTempConsoleSocket}): a new directory {@code pty<digits>} under the temp
 * directory with a listening socket {@code pty.sock} in it, on which runc sends the pty master. Closing stops the
 * listening and removes the directory.
 */
final class ConsoleSocket implements AutoCloseable {
  private final Node node;
  private final UnixListener listener;

  private ConsoleSocket(Node node, UnixListener listener) {
    this.node = node;
    this.listener = listener;
  }

  /**
   * Makes the directory and listens in it; fails with the file system's or the bind's error. As in go-runc, a failed
   * bind leaves the new directory behind.
   */
  static ConsoleSocket newTemp(Node node, String tempDir) {
    String dir = node.fs().mkdirTemp(tempDir, "pty", node.random());
    // TODO: with XDG_RUNTIME_DIR set go-runc also chmods the socket to 0755 with the sticky bit; no effect here
    return new ConsoleSocket(node, node.sockets().listen(Paths.join(dir, "pty.sock")));
  }

  /** The socket's path, for runc's {@code --console-socket}. */
  String path() {
    return listener.path();
  }

  /** Completes with the master runc sent, as {@code ReceiveMaster}. */
  CompletionStage<Pty> receiveMaster() {
    return listener.receiveMaster();
  }

  @Override
  public void close() {
    listener.close();
    node.fs().removeAll(Paths.parent(listener.path()));
  }
}
