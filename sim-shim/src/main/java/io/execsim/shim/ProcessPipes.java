package io.execsim.shim;

import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IO of one non-terminal exec in the shim: an OS pipe per requested stream, whose child ends runc hands to the
 * process, and the copying between the shim's ends and containerd's FIFOs. The shim keeps a writer of the stdin FIFO
 * open so that only {@code CloseIO} ends the process's input, and a reader of each output FIFO so that its writes
 * never fail for want of a reader. The shim's writing ends go through the FIFO's way where containerd gave it one
 * ({@link NodeHooks#execFifo}), so that faults on the FIFO act on them.
 *
 * <p>An output copy that fails (a write into the FIFO fails) ends as the real shim's does: it logs, closes its ends
 * of the FIFO, and stops reading the process's pipe without closing it, so a process that goes on writing fills
 * the pipe and blocks rather than getting {@code EPIPE}; the pipe closes with the exec's IO on its delete.
 */
final class ProcessPipes implements ProcessIo {
  private static final Logger log = LoggerFactory.getLogger(ProcessPipes.class);
  private static final int COPY_BUFFER = 4096;

  private final Node node;
  private final ExecProcessRequest request;
  private final @Nullable Pipe stdin;
  private final @Nullable Pipe stdout;
  private final @Nullable Pipe stderr;
  private final ByteSource processIn;
  private final ByteSink processOut;
  private final ByteSink processErr;
  private final List<CompletableFuture<Long>> outputCopies = new ArrayList<>();
  private final List<ByteSource> unread = new ArrayList<>();
  private @Nullable ByteSink stdinKeeper;

  ProcessPipes(Node node, ExecProcessRequest request) {
    this.node = node;
    this.request = request;
    this.stdin = request.stdin().isPresent() ? new Pipe(node.scheduler()) : null;
    this.stdout = request.stdout().isPresent() ? new Pipe(node.scheduler()) : null;
    this.stderr = request.stderr().isPresent() && !request.terminal() ? new Pipe(node.scheduler()) : null;
    this.processIn = stdin != null ? stdin.openReader() : Streams.empty();
    this.processOut = stdout != null ? stdout.openWriter() : Streams.discard();
    this.processErr = stderr != null ? stderr.openWriter() : Streams.discard();
  }

  ByteSource runcStdin() {
    return processIn;
  }

  ByteSink runcStdout() {
    return processOut;
  }

  ByteSink runcStderr() {
    return processErr;
  }

  /** Starts copying between the FIFOs and the process's pipes, once runc has started the process. */
  void startCopying(Shim.ExecProcess process) {
    if (stdin != null) {
      String fifo = request.stdin().orElseThrow();
      stdinKeeper = throughWay(fifo, node.fs().openFifoWriter(fifo));
      ByteSource from = node.fs().openFifoReader(fifo);
      ByteSink to = stdin.openWriter();
      Streams.copy(from, to, COPY_BUFFER).whenComplete((n, e) -> {
        from.close();
        to.close();
        node.trace().record(Hop.SHIM, Phase.STDIN_CLOSED, "exec=" + request.execId() + " bytes=" + n);
      });
    }
    copyOut(stdout, request.stdout().orElse(null), "stdout");
    copyOut(stderr, request.stderr().orElse(null), "stderr");
  }

  private void copyOut(@Nullable Pipe pipe, @Nullable String fifo, String stream) {
    if (pipe == null || fifo == null) {
      return;
    }
    ByteSink to = throughWay(fifo, node.fs().openFifoWriter(fifo));
    ByteSource keepAlive = node.fs().openFifoReader(fifo);
    ByteSource from = pipe.openReader();
    CompletableFuture<Long> copy = Streams.copy(from, to, COPY_BUFFER).toCompletableFuture();
    outputCopies.add(copy);
    copy.whenComplete((n, e) -> {
      to.close();
      keepAlive.close();
      if (e == null) {
        from.close();
        return;
      }
      // the real shim's copy goroutine (pkg/process/io.go copyPipes) warns and closes its FIFO ends only; the
      // process's pipe stays open until the exec's IO is closed
      log.warn("exec {}: error copying {}", request.execId(), stream, e);
      synchronized (unread) {
        unread.add(from);
      }
    });
  }

  private ByteSink throughWay(String fifo, ByteSink end) {
    return NodeHooks.of(node).execFifo(fifo).map(way -> way.writer(end)).orElse(end);
  }

  @Override
  public void closeStdinFifo() {
    if (stdinKeeper != null) {
      stdinKeeper.close();
    }
  }

  @Override
  public CompletionStage<Void> drained(Duration limit) {
    return ProcessIo.within(node.scheduler(),
        CompletableFuture.allOf(outputCopies.toArray(CompletableFuture[]::new)), limit);
  }

  @Override
  public void close() {
    closeStdinFifo();
    List<ByteSource> left;
    synchronized (unread) {
      left = List.copyOf(unread);
      unread.clear();
    }
    left.forEach(ByteSource::close);
  }
}
