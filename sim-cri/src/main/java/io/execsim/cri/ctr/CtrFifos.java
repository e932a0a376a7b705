package io.execsim.cri.ctr;

import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.FileType;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.task.StateResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FIFO set of one ctr process, as {@code cio.NewCreator} makes it: a fresh directory
 * {@code /run/containerd/fifo/<digits>/} holding {@code <id>-stdin}, {@code <id>-stdout} and, without a terminal,
 * {@code <id>-stderr}, with ctr's ends open and copying between them and ctr's own standard streams.
 *
 * <p>{@link #abort} is what ctr does when the call that was to use the set failed ({@code Cancel}, {@code Wait},
 * {@code Close}): the set goes at once. {@link #finish} is what a successful {@code Delete} does: the output is
 * drained first. {@link #exit} is ctr's process ending: its ends close, and the directory stays unless one of the two
 * removed it. Used on the simulation's thread.
 */
final class CtrFifos {
  private static final Logger log = LoggerFactory.getLogger(CtrFifos.class);
  /** containerd's {@code defaults.DefaultFIFODir}. */
  static final String DEFAULT_DIR = "/run/containerd/fifo";
  private static final int COPY_BUFFER = 32 * 1024;

  private final Node node;
  private final String dir;
  private final @Nullable String stdin;
  private final String stdout;
  private final @Nullable String stderr;
  private final List<AutoCloseable> ends = new ArrayList<>();
  private final List<CompletableFuture<Long>> outputs = new ArrayList<>();
  private @Nullable Runnable stdinCloser;
  private boolean stdinEnded;
  private boolean removed;

  private CtrFifos(Node node, String dir, String id, boolean terminal) {
    this.node = node;
    this.dir = dir;
    this.stdin = dir + "/" + id + "-stdin";
    this.stdout = dir + "/" + id + "-stdout";
    this.stderr = terminal ? null : dir + "/" + id + "-stderr";
  }

  /**
   * Makes the directory below {@code root} and the FIFOs, opens ctr's ends and starts copying: ctr's input into
   * the stdin FIFO, the output FIFOs into ctr's output. Throws the file system's error, removing what was made.
   */
  static CtrFifos create(Node node, String root, String id, boolean terminal, ByteSource in, ByteSink out,
      ByteSink err) {
    node.fs().mkdirAll(root, 0700);
    String dir = node.fs().mkdirTemp(root, "", node.random());
    CtrFifos f = new CtrFifos(node, dir, id, terminal);
    try {
      f.open(in, out, err);
    } catch (GoError e) {
      f.closeEnds();
      node.fs().removeAll(dir);
      throw e;
    }
    return f;
  }

  private void open(ByteSource in, ByteSink out, ByteSink err) {
    // cio.openFifos: each FIFO is made by ctr's own open with O_CREAT
    node.fs().mkfifo(stdin, 0700);
    ByteSink toStdin = node.fs().openFifoWriter(stdin);
    ends.add(toStdin::close);
    node.fs().mkfifo(stdout, 0700);
    ByteSource fromStdout = node.fs().openFifoReader(stdout);
    ends.add(fromStdout::close);
    ByteSource fromStderr = null;
    if (stderr != null) {
      node.fs().mkfifo(stderr, 0700);
      fromStderr = node.fs().openFifoReader(stderr);
      ends.add(fromStderr::close);
    }
    Streams.copy(in, toStdin, COPY_BUFFER).whenComplete((n, e) -> {
      toStdin.close();
      // ctr's stdinCloser: at the end of its input, CloseIO, once the process exists to receive it
      Runnable closer;
      synchronized (this) {
        stdinEnded = true;
        closer = stdinCloser;
      }
      if (closer != null) {
        closer.run();
      }
    });
    outputs.add(copyOut(fromStdout, out));
    if (fromStderr != null) {
      outputs.add(copyOut(fromStderr, err));
    }
  }

  private static CompletableFuture<Long> copyOut(ByteSource from, ByteSink to) {
    return Streams.copy(from, to, COPY_BUFFER).toCompletableFuture();
  }

  /** The stdin FIFO's path, for the request. */
  Optional<String> stdin() {
    return Optional.ofNullable(stdin);
  }

  /** The stdout FIFO's path. */
  Optional<String> stdout() {
    return Optional.of(stdout);
  }

  /** The stderr FIFO's path, without a terminal. */
  Optional<String> stderr() {
    return Optional.ofNullable(stderr);
  }

  /** The directory. */
  String dir() {
    return dir;
  }

  /** What runs when ctr's input ends from now on: {@code CloseIO} of the process. */
  void onStdinEnd(Runnable closer) {
    synchronized (this) {
      stdinCloser = closer;
      if (!stdinEnded) {
        return;
      }
    }
    log.trace("{}: input ended before the process existed; stdin stays open", dir);
  }

  /** {@code Cancel}, {@code Wait}, {@code Close} after a failed call: the ends close and the directory goes. */
  void abort() {
    closeEnds();
    remove();
  }

  /** {@code Cancel}, {@code Wait}, {@code Close} after a successful {@code Delete}: the output drains first. */
  CompletionStage<Void> finish() {
    synchronized (this) {
      if (removed) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).handle((v, e) -> {
      closeEnds();
      remove();
      return null;
    });
  }

  /** ctr's process ends: its ends close; the directory stays if nothing removed it. */
  void exit() {
    closeEnds();
  }

  private void closeEnds() {
    List<AutoCloseable> all;
    synchronized (this) {
      all = List.copyOf(ends);
      ends.clear();
    }
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("{}: closing a FIFO end failed: {}", dir, e.getMessage());
      }
    }
  }

  private void remove() {
    synchronized (this) {
      if (removed) {
        return;
      }
      removed = true;
    }
    try {
      node.fs().removeAll(dir);
    } catch (PathError e) {
      log.debug("{} not removed: {}", dir, e.text());
    }
  }

  /**
   * The closer of {@code cio.Load} for a task's existing FIFOs: each path that is a FIFO is removed, then each of
   * their directories if it is empty.
   */
  static void removeLoaded(Node node, StateResponse state) {
    Set<String> dirs = new LinkedHashSet<>();
    for (Optional<String> p : List.of(state.stdin(), state.stdout(), state.stderr())) {
      if (p.isEmpty() || p.get().isEmpty()) {
        continue;
      }
      try {
        if (node.fs().stat(p.get()).type() == FileType.FIFO) {
          node.fs().remove(p.get());
          dirs.add(Paths.parent(p.get()));
        }
      } catch (PathError e) {
        log.debug("FIFO {} not removed: {}", p.get(), e.text());
      }
    }
    for (String d : dirs) {
      try {
        node.fs().remove(d);
      } catch (PathError e) {
        log.debug("FIFO directory {} not removed: {}", d, e.text());
      }
    }
  }
}
