package io.execsim.core.process;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** What a {@link Program} sees of its process and its container. All of it is used on the simulation's thread. */
public interface ProcessContext {

  /** The process id. */
  int pid();

  /** The argument vector; {@code args().get(0)} is the name it was started by. */
  List<String> args();

  /** The environment, {@code KEY=value} entries. */
  List<String> env();

  /** The value of an environment variable. */
  Optional<String> getenv(String name);

  /** The ids the process runs as; a child it spawns runs as the same. */
  Credentials credentials();

  /** The working directory, absolute within the container. */
  String cwd();

  /** Standard input. */
  ByteSource stdin();

  /** Standard output. */
  ByteSink stdout();

  /** Standard error; the terminal itself when the process has one. */
  ByteSink stderr();

  /** The container's root file system. */
  FileSystemView files();

  /** {@code path} resolved against the working directory. */
  String resolve(String path);

  /** The current simulated time. */
  Instant now();

  /** Completes after {@code duration} of simulated time, or never if the process is killed first. */
  CompletionStage<Void> sleep(Duration duration);

  /** The terminal's size, when the process has a terminal. */
  Optional<TerminalSize> terminalSize();

  /** Calls {@code listener} on each resize of the process's terminal. */
  void onResize(Consumer<TerminalSize> listener);

  /**
   * Runs another program of the container as a child, with the given argument vector, environment, working
   * directory and streams. The child borrows the streams: they stay open when it ends. The stage completes with the
   * child's exit status, or fails with a {@link LookPathError} when {@code argv[0]} cannot be run.
   */
  CompletionStage<ExitStatus> spawn(List<String> argv, List<String> env, String cwd, ByteSource in, ByteSink out,
      ByteSink err);

  /** As {@link #spawn(List, List, String, ByteSource, ByteSink, ByteSink)} in this process's environment and cwd. */
  default CompletionStage<ExitStatus> spawn(List<String> argv, ByteSource in, ByteSink out, ByteSink err) {
    return spawn(argv, env(), cwd(), in, out, err);
  }

  /** A new, unopened pipe on the node, as {@code pipe(2)} makes one, to join the children of a pipeline. */
  Pipe newPipe();

  /** Writes UTF-8 text to standard output. */
  default CompletionStage<Void> print(String text) {
    return stdout().write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes UTF-8 text to standard error. */
  default CompletionStage<Void> printErr(String text) {
    return stderr().write(text.getBytes(StandardCharsets.UTF_8));
  }
}
