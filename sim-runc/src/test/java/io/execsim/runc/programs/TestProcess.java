package io.execsim.runc.programs;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.process.Credentials;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.TerminalSize;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A process of a {@link TestContainer}, without runc: its context is the container's file system and scheduler.
 * Children it spawns borrow its streams and leave them open, as forked children do, and run as it does.
 */
final class TestProcess implements ProcessContext {
  private final TestContainer container;
  private final int pid;
  private final List<String> args;
  private final List<String> env;
  private final String cwd;
  private final Credentials credentials;
  private final ByteSource stdin;
  private final ByteSink stdout;
  private final ByteSink stderr;

  /** A process running as root in {@code /}, in the container's environment. */
  TestProcess(TestContainer container, List<String> args, ByteSource stdin, ByteSink stdout, ByteSink stderr) {
    this(container, args, Credentials.ROOT, stdin, stdout, stderr);
  }

  /** A process running as {@code credentials} in {@code /}, in the container's environment. */
  TestProcess(TestContainer container, List<String> args, Credentials credentials, ByteSource stdin,
      ByteSink stdout, ByteSink stderr) {
    this(container, args, container.env(), "/", credentials, stdin, stdout, stderr);
  }

  private TestProcess(TestContainer container, List<String> args, List<String> env, String cwd,
      Credentials credentials, ByteSource stdin, ByteSink stdout, ByteSink stderr) {
    this.container = container;
    this.pid = container.allocatePid();
    this.args = List.copyOf(args);
    this.env = List.copyOf(env);
    this.cwd = cwd;
    this.credentials = credentials;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public List<String> args() {
    return args;
  }

  @Override
  public List<String> env() {
    return env;
  }

  @Override
  public Optional<String> getenv(String name) {
    return env.stream().filter(e -> e.startsWith(name + "=")).map(e -> e.substring(name.length() + 1)).findFirst();
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
    return container.scheduler().now();
  }

  @Override
  public CompletionStage<Void> sleep(Duration duration) {
    return container.scheduler().sleep(duration);
  }

  @Override
  public Optional<TerminalSize> terminalSize() {
    return Optional.empty();
  }

  @Override
  public void onResize(Consumer<TerminalSize> listener) {
  }

  @Override
  public Pipe newPipe() {
    return new Pipe(container.scheduler());
  }

  @Override
  public CompletionStage<ExitStatus> spawn(List<String> argv, List<String> childEnv, String childCwd, ByteSource in,
      ByteSink out, ByteSink err) {
    try {
      return container.start(new TestProcess(container, argv, childEnv, childCwd, credentials, in, out, err));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
