package io.execsim.runc.programs;

import io.execsim.core.error.Errno;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.LookPathError;
import io.execsim.core.process.Program;
import io.execsim.core.process.Signal;
import io.execsim.core.sched.DeterministicScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A busybox-like container for tests: a root file system on a {@link NodeFileSystem}, the built-in programs under
 * their bare names and {@code /bin/NAME}, and a {@link DeterministicScheduler} that runs it all in virtual time.
 * Processes run over {@link Pipe}s; unknown commands fail with {@link LookPathError}, as runc's lookup does.
 */
final class TestContainer {
  private static final int MAX_OUTPUT = 64 * 1024 * 1024;

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final FileSystemView root;
  private final Map<String, Program> programs = BuiltinPrograms.all();
  private final List<String> env = List.of("PATH=/bin", "HOME=/root");
  private int nextPid = 100;

  TestContainer() {
    NodeFileSystem node = new NodeFileSystem(scheduler);
    node.mkdirAll("/containers/c1/rootfs", 0755);
    root = node.view("/containers/c1/rootfs");
    for (String dir : List.of("/bin", "/tmp", "/root")) {
      root.mkdirAll(dir, 0755);
    }
  }

  DeterministicScheduler scheduler() {
    return scheduler;
  }

  FileSystemView root() {
    return root;
  }

  List<String> env() {
    return env;
  }

  int allocatePid() {
    return nextPid++;
  }

  /** Writes a file into the container. */
  TestContainer file(String path, String content, int mode) {
    root.mkdirAll(Paths.parent(path), 0755);
    root.writeFile(path, content.getBytes(StandardCharsets.UTF_8), mode);
    return this;
  }

  /** Runs {@code sh -c script} with empty stdin until it and its output end. */
  Ran sh(String script) {
    return run(new byte[0], "sh", "-c", script);
  }

  /** Runs {@code argv} with {@code stdin} as its input until it and its output end. */
  Ran run(byte[] stdin, String... argv) {
    Started s = start(stdin, argv);
    ExitStatus exit = scheduler.await(s.exit());
    return new Ran(List.of(argv), exit, scheduler.await(s.stdout()), scheduler.await(s.stderr()), scheduler.elapsed());
  }

  /** A process started over pipes, and what it wrote so far. */
  record Started(CompletableFuture<ExitStatus> exit, CompletionStage<byte[]> stdout, CompletionStage<byte[]> stderr) {
  }

  /** Starts {@code argv} with {@code stdin} as its input; nothing runs until the scheduler does. */
  Started start(byte[] stdin, String... argv) {
    Pipe in = new Pipe(scheduler);
    Pipe out = new Pipe(scheduler);
    Pipe err = new Pipe(scheduler);
    ByteSink feed = in.openWriter();
    Streams.copy(Streams.of(stdin), feed, 64 * 1024).whenComplete((n, e) -> feed.close());
    CompletionStage<byte[]> stdout = Streams.readAll(out.openReader(), MAX_OUTPUT);
    CompletionStage<byte[]> stderr = Streams.readAll(err.openReader(), MAX_OUTPUT);
    ByteSource procIn = in.openReader();
    ByteSink procOut = out.openWriter();
    ByteSink procErr = err.openWriter();
    CompletableFuture<ExitStatus> exit = start(new TestProcess(this, List.of(argv), procIn, procOut, procErr))
        .whenComplete((status, e) -> {
          // the first process owns its streams: its end closes them
          procIn.close();
          procOut.close();
          procErr.close();
        });
    return new Started(exit, stdout, stderr);
  }

  /** Starts a process on the scheduler; fails at once with a {@link LookPathError} when it cannot be run. */
  CompletableFuture<ExitStatus> start(TestProcess p) {
    Program program = lookPath(p.args().get(0));
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    scheduler.execute(() -> {
      CompletionStage<Integer> stage;
      try {
        stage = program.run(p);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((code, e) -> {
        if (e == null) {
          exit.complete(ExitStatus.exited(code & 0xff));
        } else if (Libbb.isBrokenPipe(e)) {
          exit.complete(ExitStatus.killed(Signal.SIGPIPE));
        } else {
          exit.completeExceptionally(e);
        }
      });
    });
    return exit;
  }

  private Program lookPath(String name) {
    if (!name.contains("/")) {
      Program p = programs.get(name);
      if (p == null) {
        throw new LookPathError(name, LookPathError.Reason.NOT_FOUND, "executable file not found in $PATH");
      }
      return p;
    }
    String path = Paths.resolve("/", name);
    if (Paths.parent(path).equals("/bin") && programs.containsKey(Paths.base(path))) {
      return programs.get(Paths.base(path));
    }
    if (!root.exists(path)) {
      throw new LookPathError(name, LookPathError.Reason.NO_SUCH_FILE, "stat " + name + ": " + Errno.ENOENT.text());
    }
    FileInfo info = root.stat(path);
    if (info.isDirectory() || !info.isExecutable() || !programs.containsKey(Paths.base(path))) {
      throw new LookPathError(name, LookPathError.Reason.PERMISSION_DENIED, Errno.EACCES.text());
    }
    return programs.get(Paths.base(path));
  }

  /**
   * What a process did: its argument vector, how it ended, its output, and the virtual time when it was collected.
   */
  record Ran(List<String> argv, ExitStatus exit, byte[] stdout, byte[] stderr, Duration elapsed) {

    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    String err() {
      return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return argv + " (" + exit + ", stdout \"" + out() + "\", stderr \"" + err() + "\")";
    }
  }
}
