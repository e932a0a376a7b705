package io.execsim.shim;

import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pty;
import io.execsim.core.io.Streams;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IO of one terminal exec in the shim, as its {@code CopyConsole} runs it: the stdin FIFO copied into the pty
 * master, the master copied into the stdout FIFO; a terminal has no stderr. The shim keeps a writer of the stdin FIFO
 * so that only {@code CloseIO} ends the input, and a reader of the stdout FIFO so that its writes never fail for want
 * of a reader; its writing ends go through the FIFOs' ways ({@link NodeHooks#execFifo}). Closing lets go of the
 * master.
 */
final class ProcessConsole implements ProcessIo {
  private static final Logger log = LoggerFactory.getLogger(ProcessConsole.class);
  private static final int COPY_BUFFER = 4096;

  private final Node node;
  private final ExecProcessRequest request;
  private final CompletableFuture<Void> output = new CompletableFuture<>();
  private @Nullable ByteSink stdinKeeper;
  private @Nullable Pty master;

  ProcessConsole(Node node, ExecProcessRequest request) {
    this.node = node;
    this.request = request;
    if (request.stdout().isEmpty()) {
      output.complete(null);
    }
  }

  /** Opens the shim's own writer of the stdin FIFO, as {@code openStdin} does right after runc returns. */
  void openStdin() {
    request.stdin().ifPresent(fifo -> stdinKeeper = throughWay(fifo, node.fs().openFifoWriter(fifo)));
  }

  /** Starts copying between the FIFOs and {@code console}, the master runc sent. */
  void start(Pty console) {
    master = console;
    request.stdin().ifPresent(fifo -> {
      ByteSource from = node.fs().openFifoReader(fifo);
      Streams.copy(from, console.masterInput(), COPY_BUFFER).whenComplete((n, e) -> {
        from.close();
        // TODO: the real shim closes the whole console when stdin ends, which hangs up the process and drops its
        // later output; here the program only reads the end of its input
        console.masterInput().close();
        node.trace().record(Hop.SHIM, Phase.STDIN_CLOSED, "exec=" + request.execId() + " bytes=" + n);
      });
    });
    request.stdout().ifPresent(fifo -> {
      ByteSink to = throughWay(fifo, node.fs().openFifoWriter(fifo));
      ByteSource keepAlive = node.fs().openFifoReader(fifo);
      Streams.copy(console.masterOutput(), to, COPY_BUFFER).whenComplete((n, e) -> {
        if (e != null) {
          log.debug("exec {}: console copy to {} ended: {}", request.execId(), fifo, e.getMessage());
        }
        to.close();
        keepAlive.close();
        output.complete(null);
      });
    });
  }

  /** {@code end}, a writing end of {@code fifo}, through the FIFO's way where containerd gave it one. */
  private ByteSink throughWay(String fifo, ByteSink end) {
    return NodeHooks.of(node).execFifo(fifo).map(way -> way.writer(end)).orElse(end);
  }

  /** Resizes the console, once there is one, as {@code console.Resize} on the master does. */
  void resize(TerminalSize size) {
    if (master != null) {
      master.resize(size);
    }
  }

  @Override
  public void closeStdinFifo() {
    if (stdinKeeper != null) {
      stdinKeeper.close();
    }
  }

  @Override
  public CompletionStage<Void> drained(Duration limit) {
    return ProcessIo.within(node.scheduler(), output, limit);
  }

  @Override
  public void close() {
    closeStdinFifo();
    if (master != null) {
      master.closeMaster();
    }
  }
}
