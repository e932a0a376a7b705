package io.execsim.runc;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Pty;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.Credentials;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Program;
import io.execsim.core.process.Signal;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process inside a container: the program it runs and the world the program sees.
 *
 * <p>Streams: runc gives a process its standard streams; a child that a program spawns is lent its parent's, as a
 * forked child's duplicated descriptors are. Each of the streams runc gave stays open while any process holds it:
 * the one runc started, or a descendant that was lent it (a stream lent as fd 1 and 2 is held once for each). A
 * process lets go of what it holds when it ends, and the stream closes, so its reader sees end of stream, once the
 * last holder has let go. An orphan thus keeps an exec's output open after the exec's process has exited.
 *
 * <p>Ending: the program's stage completing ends the process with its code, unless {@link #neverExit()} said it
 * must not end by itself. Ending by a signal cancels the process's sleeps and ends its children too (the
 * container's PID namespace is modelled as one process group); ending by an exit leaves the children running. Once
 * the process has ended its program is gone: what the program still asks of its context (reads, writes, sleeps,
 * spawns) is never answered and has no effect.
 *
 * <p>Freezing: while the container's cgroup is frozen the program makes no progress. What it asked before the
 * freeze and what the world answers meanwhile (a sleep that expires, a read or write that completes, a child's
 * exit) reaches it only after the thaw, in the order it came; what it asks is not started before the thaw. Sleeps
 * keep their deadlines: as the kernel counts a frozen {@code nanosleep} against its interval, a sleep whose time
 * ran out while frozen ends at the thaw, and a later one when it was due. Signals other than {@code SIGKILL} wait
 * for the thaw; {@code SIGKILL} ends a frozen process at once (inferred from cgroup v2's "processes in the frozen
 * cgroup can be killed by a fatal signal"; on cgroup v1 runc thaws the cgroup after a {@code SIGKILL}, so
 * {@code runc kill} ends it at once too). TODO: a read or write already waiting on a pipe when the freeze comes
 * still moves its bytes (the program sees the result after the thaw), and pipes a program makes with
 * {@link #newPipe()} are not held by the freezer; a write the pipe had not taken whole when the process ended still
 * goes on to the reader.
 *
 * <p>A process with a terminal has the slave of its {@link Pty} as all three streams, and its children share that
 * terminal: they see its size and its resizes while they run.
 *
 * <p>Everything runs on the simulation's thread; the locks only keep the state consistent.
 */
final class ContainerProcess implements ProcessHandle, ProcessContext {
  private static final Logger log = LoggerFactory.getLogger(ContainerProcess.class);

  private final Runc runc;
  private final Container container;
  private final int pid;
  private final List<String> args;
  private final List<String> env;
  private final String cwd;
  private final Credentials credentials;
  private final ProgramSource stdin;
  private final ProgramSink stdout;
  private final ProgramSink stderr;
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
  private final List<Scheduler.Cancellable> timers = new ArrayList<>();
  private final List<ContainerProcess> children = new ArrayList<>();
  private final List<Consumer<TerminalSize>> resizeListeners = new ArrayList<>();
  private final @Nullable Pty terminal;
  /** The streams runc gave that this process holds open. */
  private final List<HeldStream> holds = new ArrayList<>();
  /** What waits for the thaw: steps of the program, answers to it, signals, in the order they came. */
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private boolean ending;
  private boolean frozen;
  private boolean neverExits;

  /**
   * A process running as {@code credentials}, as {@link ExecUser#setUp} gives them. When it {@code ownsStreams} it
   * holds them and closes them at its end; else it borrows them.
   */
  ContainerProcess(Runc runc, Container container, int pid, List<String> args, List<String> env, String cwd,
      Streams3 streams, boolean ownsStreams, @Nullable Pty terminal, Credentials credentials) {
    this.runc = runc;
    this.container = container;
    this.pid = pid;
    this.args = List.copyOf(args);
    this.env = List.copyOf(env);
    this.cwd = cwd;
    this.credentials = credentials;
    this.stdin = new ProgramSource(streams.in());
    this.stdout = new ProgramSink(streams.out());
    this.stderr = new ProgramSink(streams.err());
    this.terminal = terminal;
    if (ownsStreams) {
      holds.add(new HeldStream(streams.in(), streams.in()::close));
      holds.add(new HeldStream(streams.out(), streams.out()::close));
      holds.add(new HeldStream(streams.err(), streams.err()::close));
    }
    if (terminal != null) {
      // SIGWINCH reaches a running process only
      terminal.onResize(size -> {
        if (isRunning()) {
          deliver(() -> resized(size));
        }
      });
      // a typed ^C or ^\ signals the terminal's foreground process group: the process and the children it started
      terminal.onSignal(signal -> {
        if (isRunning()) {
          signal(signal);
        }
      });
    }
  }

  /** The three standard streams a process starts with. */
  record Streams3(ByteSource in, ByteSink out, ByteSink err) {
  }

  /**
   * Runs {@code program}; the process ends when its stage completes. A process that starts in a frozen container
   * runs nothing before the thaw.
   */
  void start(Program program) {
    synchronized (this) {
      frozen = container.isFrozen();
    }
    deliver(() -> run(program));
  }

  private void run(Program program) {
    runc.node().trace().record(Hop.PROCESS, Phase.PROCESS_RUNNING, "pid=" + pid + " args=" + args);
    CompletionStage<Integer> stage;
    try {
      stage = program.run(this);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((code, error) -> deliver(() -> programEnded(error == null
        ? ExitStatus.exited(code & 0xff) : statusOfFailure(error))));
  }

  private void programEnded(ExitStatus status) {
    synchronized (this) {
      if (neverExits) {
        log.debug("pid {} ({}): its program ended with {}, the process does not exit", pid, args, status);
        return;
      }
    }
    finish(status);
  }

  private ExitStatus statusOfFailure(Throwable error) {
    Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (e instanceof Errno.ErrnoError && ((Errno.ErrnoError) e).errno() == Errno.EPIPE) {
      return ExitStatus.killed(Signal.SIGPIPE);
    }
    if (e instanceof GoError) {
      log.debug("pid {} ended on an unhandled error: {}", pid, e.getMessage());
    } else {
      log.warn("pid {} ({}) failed with a Java exception; it exits with status 1", pid, args, e);
    }
    return ExitStatus.exited(1);
  }

  private void finish(ExitStatus status) {
    List<ContainerProcess> orphans;
    List<Scheduler.Cancellable> pending;
    List<HeldStream> released;
    synchronized (this) {
      if (ending) {
        return;
      }
      ending = true;
      orphans = List.copyOf(children);
      pending = List.copyOf(timers);
      released = List.copyOf(holds);
      timers.clear();
      holds.clear();
      waiting.clear();
    }
    pending.forEach(Scheduler.Cancellable::cancel);
    container.remove(this);
    released.forEach(HeldStream::release);
    if (status.signal().isPresent()) {
      orphans.forEach(c -> c.signal(status.signal().get()));
    }
    runc.node().trace().record(Hop.PROCESS, Phase.PROCESS_EXITED, "pid=" + pid + " " + status);
    exit.complete(status);
  }

  // ---- the freezer

  /**
   * Runs {@code step} of the program, or an answer to it, now; or after the thaw while the process is frozen (or
   * older steps still wait for their turn); or never once the process has ended.
   */
  private void deliver(Runnable step) {
    synchronized (this) {
      if (ending) {
        return;
      }
      if (frozen || !waiting.isEmpty()) {
        waiting.add(step);
        return;
      }
    }
    step.run();
  }

  /** Freezes the process: from now on its program makes no progress until {@link #thaw()}. */
  void freeze() {
    synchronized (this) {
      frozen = !ending;
    }
  }

  /** Thaws the process: what waited runs, in its order, in a task after the current one. */
  void thaw() {
    synchronized (this) {
      if (!frozen) {
        return;
      }
      frozen = false;
    }
    runc.node().scheduler().execute(this::runWaiting);
  }

  private void runWaiting() {
    while (true) {
      Runnable next;
      synchronized (this) {
        if (frozen || ending || waiting.isEmpty()) {
          return;
        }
        next = waiting.poll();
      }
      next.run();
    }
  }

  // ---- ProcessHandle

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public String containerId() {
    return container.id();
  }

  @Override
  public List<String> args() {
    return args;
  }

  @Override
  public CompletionStage<ExitStatus> exit() {
    return exit;
  }

  @Override
  public boolean isRunning() {
    return !exit.isDone();
  }

  @Override
  public void signal(Signal signal) {
    switch (signal) {
      case SIGCONT, SIGSTOP, SIGWINCH -> {
        // TODO: stopping and continuing are not modelled; such signals leave the process running as it was
      }
      // the freezer lets a fatal signal through
      case SIGKILL -> finish(ExitStatus.killed(signal));
      default -> deliver(() -> {
        synchronized (this) {
          if (neverExits) {
            log.debug("pid {} ({}) does not end on {}: only SIGKILL ends it", pid, args, signal);
            return;
          }
        }
        finish(ExitStatus.killed(signal));
      });
    }
  }

  /** {@inheritDoc} A frozen process exits at the thaw, as its program can call {@code exit()} only then. */
  @Override
  public void exitEarly(int exitCode) {
    if (exitCode < 0 || exitCode > 255) {
      throw new IllegalArgumentException("exit code must be 0 to 255: " + exitCode);
    }
    deliver(() -> {
      log.debug("pid {} ({}) exits early with {}", pid, args, exitCode);
      finish(ExitStatus.exited(exitCode));
    });
  }

  @Override
  public void neverExit() {
    synchronized (this) {
      neverExits = !ending;
    }
  }

  // ---- ProcessContext

  @Override
  public List<String> env() {
    return env;
  }

  @Override
  public Optional<String> getenv(String name) {
    return ProcessSpec.envValue(env, name);
  }

  @Override
  public Credentials credentials() {
    return credentials;
  }

  @Override
  public String cwd() {
    return cwd;
  }

  @Override
  public ByteSource stdin() {
    return stdin;
  }

  @Override
  public ByteSink stdout() {
    return stdout;
  }

  @Override
  public ByteSink stderr() {
    return stderr;
  }

  @Override
  public FileSystemView files() {
    return container.root();
  }

  @Override
  public String resolve(String path) {
    return Paths.resolve(cwd, path);
  }

  @Override
  public Instant now() {
    return runc.node().scheduler().now();
  }

  @Override
  public CompletionStage<Void> sleep(Duration duration) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (ending) {
        return done;
      }
      // the deadline is fixed now: a freeze in between does not move it
      timers.add(runc.node().scheduler().schedule(duration, () -> deliver(() -> done.complete(null))));
    }
    return done;
  }

  @Override
  public Optional<TerminalSize> terminalSize() {
    return Optional.ofNullable(terminal).map(Pty::size);
  }

  @Override
  public synchronized void onResize(Consumer<TerminalSize> listener) {
    resizeListeners.add(listener);
  }

  private void resized(TerminalSize size) {
    List<Consumer<TerminalSize>> listeners;
    synchronized (this) {
      listeners = List.copyOf(resizeListeners);
    }
    listeners.forEach(l -> l.accept(size));
  }

  @Override
  public Pipe newPipe() {
    return new Pipe(runc.node().scheduler());
  }

  @Override
  public CompletionStage<ExitStatus> spawn(List<String> argv, List<String> childEnv, String childCwd,
      ByteSource in, ByteSink out, ByteSink err) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    CompletableFuture<ExitStatus> result = new CompletableFuture<>();
    deliver(() -> startChild(argv, childEnv, childCwd, new Streams3(lent(in), lent(out), lent(err)), result));
    return result;
  }

  private void startChild(List<String> argv, List<String> childEnv, String childCwd, Streams3 streams,
      CompletableFuture<ExitStatus> result) {
    ContainerProcess child;
    Program program;
    try {
      Runc.Resolved r = runc.resolve(container, childCwd, childEnv, argv);
      program = r.program();
      // a forked child keeps its parent's credentials across execve
      child = new ContainerProcess(runc, container, runc.node().processes().allocatePid(), r.argv(), childEnv,
          childCwd, streams, false, terminal, credentials);
    } catch (GoError e) {
      result.completeExceptionally(e);
      return;
    }
    synchronized (this) {
      for (HeldStream h : holds) {
        if (h.stream == streams.in() || h.stream == streams.out() || h.stream == streams.err()) {
          h.hold();
          child.holds.add(h);
        }
      }
      children.add(child);
    }
    container.addExec(child);
    runc.node().processes().add(child);
    CompletionStage<ExitStatus> done = runc.node().processes().reap(child.pid());
    child.start(program);
    done.whenComplete((s, e) -> {
      synchronized (this) {
        children.remove(child);
      }
      deliver(() -> settle(result, s, e));
    });
  }

  /** The stream a child is lent for {@code s}: the stream itself, not this process's view of it. */
  private static ByteSource lent(ByteSource s) {
    return s instanceof ProgramSource p ? p.stream : s;
  }

  private static ByteSink lent(ByteSink s) {
    return s instanceof ProgramSink p ? p.stream : s;
  }

  private static <T> void settle(CompletableFuture<T> f, @Nullable T value, @Nullable Throwable error) {
    if (error != null) {
      f.completeExceptionally(error);
    } else {
      f.complete(value);
    }
  }

  /** Closing a stream from the program: this process lets go of it, or closes it when it holds none of it. */
  private void close(Object stream, Runnable closer) {
    HeldStream held = null;
    synchronized (this) {
      for (HeldStream h : holds) {
        if (h.stream == stream) {
          held = h;
          break;
        }
      }
      if (held != null) {
        holds.remove(held);
      }
    }
    if (held != null) {
      held.release();
    } else {
      closer.run();
    }
  }

  /** One of the streams runc gave, and how many processes hold it open. */
  private static final class HeldStream {
    final Object stream;
    final Runnable closer;
    int holders = 1;

    HeldStream(Object stream, Runnable closer) {
      this.stream = stream;
      this.closer = closer;
    }

    synchronized void hold() {
      holders++;
    }

    void release() {
      boolean last;
      synchronized (this) {
        last = --holders == 0;
      }
      if (last) {
        closer.run();
      }
    }
  }

  /** The process's program's view of a stream it reads: held by the freezer, silent once the process ended. */
  private final class ProgramSource implements ByteSource {
    final ByteSource stream;

    ProgramSource(ByteSource stream) {
      this.stream = stream;
    }

    @Override
    public CompletionStage<Optional<byte[]>> read(int maxBytes) {
      CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
      deliver(() -> stream.read(maxBytes).whenComplete((data, e) -> deliver(() -> settle(result, data, e))));
      return result;
    }

    @Override
    public void close() {
      deliver(() -> ContainerProcess.this.close(stream, stream::close));
    }
  }

  /** The process's program's view of a stream it writes: held by the freezer, silent once the process ended. */
  private final class ProgramSink implements ByteSink {
    final ByteSink stream;

    ProgramSink(ByteSink stream) {
      this.stream = stream;
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      CompletableFuture<Void> result = new CompletableFuture<>();
      deliver(() -> stream.write(data).whenComplete((v, e) -> deliver(() -> settle(result, v, e))));
      return result;
    }

    @Override
    public void close() {
      deliver(() -> ContainerProcess.this.close(stream, stream::close));
    }
  }
}
