package io.execsim.cri;

import io.execsim.core.error.PathError;
import io.execsim.core.error.GoError;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Streams;
import io.execsim.core.net.FifoWay;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FIFO set of one exec on containerd's side, as {@code cio.NewExecIO} makes it: a fresh directory
 * {@code <cri state>/containers/<id>/io/<digits>/} holding {@code <execID>-stdin} (only with input),
 * {@code -stdout} and {@code -stderr} (not with a terminal), with containerd's ends opened at once. Closing removes
 * the directory.
 *
 * <p>The end of the client's input is handled as containerd 1.6 handles it ({@code pkg/cri/io/exec_io.go}
 * {@code Attach}): without a terminal the stdin FIFO is closed and the shim told to {@code CloseIO}; with one,
 * containerd closes its own ends of the output FIFOs instead, which ends the copies and closes the client's output
 * streams while the process runs on. (containerd 2.x does nothing there.)
 *
 * <p>Each FIFO gets a {@link FifoWay} from the node's {@link NodeHooks} as it is made, before any byte crosses it;
 * the writing ends, containerd's of stdin and the shim's, go through it, so that faults on the FIFO act on them.
 * Closing or abandoning the set closes the ways.
 */
final class ExecIo {
  private static final Logger log = LoggerFactory.getLogger(ExecIo.class);
  private static final int COPY_BUFFER = 32 * 1024;

  private final NodeFileSystem fs;
  private final String dir;
  private final String execId;
  private final boolean tty;
  private final @Nullable String stdinPath;
  private final String stdoutPath;
  private final @Nullable String stderrPath;
  private final @Nullable ByteSink stdinWriter;
  private final OutputEnd stdoutReader;
  private final @Nullable OutputEnd stderrReader;
  private final List<CompletableFuture<Long>> outputs = new ArrayList<>();
  private final List<FifoWay> ways = new ArrayList<>();

  private ExecIo(Node node, String containerId, String dir, String execId, boolean tty, boolean stdin) {
    this.fs = node.fs();
    this.dir = dir;
    this.execId = execId;
    this.tty = tty;
    this.stdinPath = stdin ? dir + "/" + execId + "-stdin" : null;
    this.stdoutPath = dir + "/" + execId + "-stdout";
    this.stderrPath = tty ? null : dir + "/" + execId + "-stderr";
    for (String p : new String[] {stdinPath, stdoutPath, stderrPath}) {
      if (p != null) {
        fs.mkfifo(p, 0700);
      }
    }
    ByteSink stdinEnd = stdinPath != null ? fs.openFifoWriter(stdinPath) : null;
    this.stdoutReader = new OutputEnd(fs.openFifoReader(stdoutPath), stdoutPath);
    this.stderrReader = stderrPath != null ? new OutputEnd(fs.openFifoReader(stderrPath), stderrPath) : null;
    NodeHooks hooks = NodeHooks.of(node);
    FifoWay stdinWay = null;
    if (stdinPath != null) {
      stdinWay = hooks.openExecFifo(containerId, execId, LinkName.STDIN, stdinPath);
      ways.add(stdinWay);
    }
    ways.add(hooks.openExecFifo(containerId, execId, LinkName.STDOUT, stdoutPath));
    if (stderrPath != null) {
      ways.add(hooks.openExecFifo(containerId, execId, LinkName.STDERR, stderrPath));
    }
    this.stdinWriter = stdinWay != null && stdinEnd != null ? stdinWay.writer(stdinEnd) : null;
  }

  /** Creates the directory and the FIFOs; a failure removes what was made and throws the file system's error. */
  static ExecIo create(Node node, String containerIoRoot, String execId, boolean tty, boolean stdin) {
    node.fs().mkdirAll(containerIoRoot, 0700);
    String dir = node.fs().mkdirTemp(containerIoRoot, "", node.random());
    // the root is <CRI state>/containers/<container id>/io
    String containerId = Paths.base(Paths.parent(Paths.clean(containerIoRoot)));
    try {
      return new ExecIo(node, containerId, dir, execId, tty, stdin);
    } catch (RuntimeException e) {
      node.fs().removeAll(dir);
      throw e;
    }
  }

  Optional<String> stdinPath() {
    return Optional.ofNullable(stdinPath);
  }

  Optional<String> stdoutPath() {
    return Optional.of(stdoutPath);
  }

  Optional<String> stderrPath() {
    return Optional.ofNullable(stderrPath);
  }

  String dir() {
    return dir;
  }

  /**
   * Copies between the client's streams and the FIFOs. When the client's input ends without a terminal, the stdin
   * FIFO is closed and {@code closeStdin} runs ({@code CloseIO} on the shim); with a terminal, the output copies end
   * instead. The stage completes when both outputs are done.
   */
  CompletionStage<Void> attach(ExecStreams client, Supplier<CompletionStage<Void>> closeStdin) {
    if (client.stdin().isPresent() && stdinWriter != null) {
      ByteSource in = client.stdin().get();
      Streams.copy(in, stdinWriter, COPY_BUFFER).whenComplete((n, e) -> {
        if (tty) {
          log.debug("exec {}: client input ended; a terminal's output is detached instead of closing stdin", execId);
          stdoutReader.close();
          return;
        }
        stdinWriter.close();
        closeStdin.get().whenComplete((ok, err) -> {
          if (err != null) {
            log.debug("exec {}: closing stdin failed: {}", execId, err.getMessage());
          }
        });
      });
    }
    outputs.add(copyOut(stdoutReader, client.stdout().orElse(Streams.discard())));
    if (stderrReader != null) {
      outputs.add(copyOut(stderrReader, client.stderr().orElse(Streams.discard())));
    }
    return CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new));
  }

  private static CompletableFuture<Long> copyOut(ByteSource from, ByteSink to) {
    return Streams.copy(from, to, COPY_BUFFER).toCompletableFuture()
        .whenComplete((n, e) -> to.close());
  }

  /**
   * Closes containerd's ends and removes the FIFO directory. A removal that fails (a read-only or broken state
   * dir) leaves the directory behind and changes nothing else: containerd's FIFO set ignores the error of its
   * RemoveAll, so the exec's result stands.
   */
  void close() {
    closeEnds();
    ways.forEach(FifoWay::close);
    try {
      fs.removeAll(dir);
      log.debug("exec {}: FIFO directory {} removed", execId, Paths.base(dir));
    } catch (PathError e) {
      log.debug("exec {}: FIFO directory {} left behind: {}", execId, Paths.base(dir), e.getMessage());
    }
  }

  /** containerd died: its ends close with its process, and the FIFO directory stays behind. */
  void abandon() {
    closeEnds();
    ways.forEach(FifoWay::close);
    log.debug("exec {}: FIFO directory {} left behind by a dead containerd", execId, Paths.base(dir));
  }

  private void closeEnds() {
    if (stdinWriter != null) {
      stdinWriter.close();
    }
    stdoutReader.close();
    if (stderrReader != null) {
      stderrReader.close();
    }
  }

  /**
   * containerd's end of an output FIFO. Closing it fails a read in progress, as closing a Go file fails a
   * {@code Read} blocked on it ({@code file already closed}).
   */
  private static final class OutputEnd implements ByteSource {
    private final ByteSource fifo;
    private final String path;
    private @Nullable CompletableFuture<Optional<byte[]>> pending;
    private boolean closed;

    OutputEnd(ByteSource fifo, String path) {
      this.fifo = fifo;
      this.path = path;
    }

    @Override
    public synchronized CompletionStage<Optional<byte[]>> read(int maxBytes) {
      if (closed) {
        return CompletableFuture.failedFuture(closedError());
      }
      CompletableFuture<Optional<byte[]>> f = new CompletableFuture<>();
      pending = f;
      fifo.read(maxBytes).whenComplete((chunk, e) -> {
        if (e != null) {
          f.completeExceptionally(e);
        } else {
          f.complete(chunk);
        }
      });
      return f;
    }

    @Override
    public void close() {
      CompletableFuture<Optional<byte[]>> waiting;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        waiting = pending;
      }
      fifo.close();
      if (waiting != null) {
        waiting.completeExceptionally(closedError());
      }
    }

    private GoError closedError() {
      return GoError.wrap("read " + path, GoError.of("file already closed"));
    }
  }
}
