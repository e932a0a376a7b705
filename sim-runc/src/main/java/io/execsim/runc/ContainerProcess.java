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
 * A process inside a container: the program it runs and the world the program sees. A process started by runc owns
 * its standard streams and closes them when it ends, so readers see end of stream; a child that a program spawns
 * borrows its parent's streams and leaves them open, as a forked child's duplicated descriptors would.
 *
 * <p>Ending by a signal cancels the process's sleeps and ends its children too (the container's PID namespace
 * is modelled as one process group).
 *
 * <p>A process with a terminal has the slave of its {@link Pty} as all three streams, and its children share that
 * terminal: they see its size and its resizes while they run.
 */
final class ContainerProcess implements ProcessHandle, ProcessContext {
  private static final Logger log = LoggerFactory.getLogger(ContainerProcess.class);

  private final Runc runc;
  private final Container container;
  private final int pid;
  private final List<String> args;
  private final List<String> env;
  private final String cwd;
  private final ByteSource stdin;
  private final ByteSink stdout;
  private final ByteSink stderr;
  private final boolean ownsStreams;
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
  private final List<Scheduler.Cancellable> timers = new ArrayList<>();
  private final List<ContainerProcess> children = new ArrayList<>();
  private boolean ending;
  private final List<Consumer<TerminalSize>> resizeListeners = new ArrayList<>();
  private final @Nullable Pty terminal;

  ContainerProcess(Runc runc, Container container, int pid, List<String> args, List<String> env, String cwd,
      Streams3 streams, boolean ownsStreams, @Nullable Pty terminal) {
    this.runc = runc;
    this.container = container;
    this.pid = pid;
    this.args = List.copyOf(args);
    this.env = List.copyOf(env);
    this.cwd = cwd;
    this.stdin = streams.in();
    this.stdout = streams.out();
    this.stderr = streams.err();
    this.ownsStreams = ownsStreams;
    this.terminal = terminal;
    if (terminal != null) {
      // SIGWINCH reaches a running process only
      terminal.onResize(size -> {
        if (isRunning()) {
          List<Consumer<TerminalSize>> listeners;
          synchronized (this) {
            listeners = List.copyOf(resizeListeners);
          }
          listeners.forEach(l -> l.accept(size));
        }
      });
    }
  }

  /** The three standard streams a process starts with. */
  record Streams3(ByteSource in, ByteSink out, ByteSink err) {
  }

  /** Runs {@code program}; the process ends when its stage completes. */
  void start(Program program) {
    runc.node().trace().record(Hop.PROCESS, Phase.PROCESS_RUNNING, "pid=" + pid + " args=" + args);
    CompletionStage<Integer> stage;
    try {
      stage = program.run(this);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((code, error) -> {
      if (error == null) {
        finish(ExitStatus.exited(code & 0xff));
      } else {
        finish(statusOfFailure(error));
      }
    });
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
    synchronized (this) {
      if (ending) {
        return;
      }
      ending = true;
      orphans = List.copyOf(children);
      pending = List.copyOf(timers);
      timers.clear();
    }
    pending.forEach(Scheduler.Cancellable::cancel);
    if (ownsStreams) {
      stdin.close();
      stdout.close();
      stderr.close();
    }
    // the status is decided: a child's death below resumes this process's program (a shell waiting for it), which
    // must neither print nor exit with a status of its own any more
    if (status.signal().isPresent()) {
      orphans.forEach(c -> c.signal(status.signal().get()));
    }
    runc.node().trace().record(Hop.PROCESS, Phase.PROCESS_EXITED, "pid=" + pid + " " + status);
    exit.complete(status);
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
      default -> finish(ExitStatus.killed(signal));
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
      if (exit.isDone()) {
        return done;
      }
      timers.add(runc.node().scheduler().schedule(duration, () -> done.complete(null)));
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
    ContainerProcess child;
    Program program;
    try {
      Runc.Resolved r = runc.resolve(container, childCwd, childEnv, argv);
      program = r.program();
      child = new ContainerProcess(runc, container, runc.node().processes().allocatePid(), r.argv(), childEnv,
          childCwd, new Streams3(in, out, err), false, terminal);
    } catch (GoError e) {
      return CompletableFuture.failedFuture(e);
    }
    synchronized (this) {
      children.add(child);
    }
    runc.node().processes().add(child);
    CompletionStage<ExitStatus> done = runc.node().processes().reap(child.pid());
    child.start(program);
    return done.whenComplete((s, e) -> {
      synchronized (this) {
        children.remove(child);
      }
    });
  }
}
