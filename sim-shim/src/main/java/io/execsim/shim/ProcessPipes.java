package io.execsim.shim;

import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
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
 * never fail for want of a reader.
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
      stdinKeeper = node.fs().openFifoWriter(fifo);
      ByteSource from = node.fs().openFifoReader(fifo);
      ByteSink to = stdin.openWriter();
      Streams.copy(from, to, COPY_BUFFER).whenComplete((n, e) -> {
        from.close();
        to.close();
        node.trace().record(Hop.SHIM, Phase.STDIN_CLOSED, "exec=" + request.execId() + " bytes=" + n);
      });
    }
    copyOut(stdout, request.stdout().orElse(null));
    copyOut(stderr, request.stderr().orElse(null));
  }

  private void copyOut(@Nullable Pipe pipe, @Nullable String fifo) {
    if (pipe == null || fifo == null) {
      return;
    }
    ByteSink to = node.fs().openFifoWriter(fifo);
    ByteSource keepAlive = node.fs().openFifoReader(fifo);
    ByteSource from = pipe.openReader();
    CompletableFuture<Long> copy = Streams.copy(from, to, COPY_BUFFER).toCompletableFuture();
    outputCopies.add(copy);
    copy.whenComplete((n, e) -> {
      if (e != null) {
        log.debug("exec {}: output copy to {} ended: {}", request.execId(), fifo, e.getMessage());
      }
      to.close();
      keepAlive.close();
      from.close();
    });
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
  }
}
