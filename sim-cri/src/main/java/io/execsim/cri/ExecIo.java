package io.execsim.cri;

import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Streams;
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
 */
final class ExecIo {
  private static final Logger log = LoggerFactory.getLogger(ExecIo.class);
  private static final int COPY_BUFFER = 32 * 1024;

  private final NodeFileSystem fs;
  private final String dir;
  private final String execId;
  private final @Nullable String stdinPath;
  private final String stdoutPath;
  private final @Nullable String stderrPath;
  private final @Nullable ByteSink stdinWriter;
  private final ByteSource stdoutReader;
  private final @Nullable ByteSource stderrReader;
  private final List<CompletableFuture<Long>> outputs = new ArrayList<>();

  private ExecIo(Node node, String dir, String execId, boolean tty, boolean stdin) {
    this.fs = node.fs();
    this.dir = dir;
    this.execId = execId;
    this.stdinPath = stdin ? dir + "/" + execId + "-stdin" : null;
    this.stdoutPath = dir + "/" + execId + "-stdout";
    this.stderrPath = tty ? null : dir + "/" + execId + "-stderr";
    for (String p : new String[] {stdinPath, stdoutPath, stderrPath}) {
      if (p != null) {
        fs.mkfifo(p, 0700);
      }
    }
    this.stdinWriter = stdinPath != null ? fs.openFifoWriter(stdinPath) : null;
    this.stdoutReader = fs.openFifoReader(stdoutPath);
    this.stderrReader = stderrPath != null ? fs.openFifoReader(stderrPath) : null;
  }

  /** Creates the directory and the FIFOs; a failure removes what was made and throws the file system's error. */
  static ExecIo create(Node node, String containerIoRoot, String execId, boolean tty, boolean stdin) {
    node.fs().mkdirAll(containerIoRoot, 0700);
    String dir = node.fs().mkdirTemp(containerIoRoot, "", node.random());
    try {
      return new ExecIo(node, dir, execId, tty, stdin);
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
   * Copies between the client's streams and the FIFOs. When the client's input ends, the stdin FIFO is closed and
   * {@code closeStdin} runs ({@code CloseIO} on the shim). The stage completes when both outputs are drained.
   */
  CompletionStage<Void> attach(ExecStreams client, Supplier<CompletionStage<Void>> closeStdin) {
    if (client.stdin().isPresent() && stdinWriter != null) {
      ByteSource in = client.stdin().get();
      Streams.copy(in, stdinWriter, COPY_BUFFER).whenComplete((n, e) -> {
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

  /** Closes containerd's ends and removes the FIFO directory. */
  void close() {
    if (stdinWriter != null) {
      stdinWriter.close();
    }
    stdoutReader.close();
    if (stderrReader != null) {
      stderrReader.close();
    }
    fs.removeAll(dir);
    log.debug("exec {}: FIFO directory {} removed", execId, Paths.base(dir));
  }
}
