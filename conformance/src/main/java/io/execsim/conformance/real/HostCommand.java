package io.execsim.conformance.real;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short command of the machine, run to its end for setting up or taking down a scenario: {@code mount},
 * {@code runc spec}, {@code ctr task rm}. Its output, stdout and stderr together, matters only when it fails. The
 * calling thread blocks until the command ends or its time is up; then the command and its children are killed.
 */
final class HostCommand {
  private static final Logger log = LoggerFactory.getLogger(HostCommand.class);

  /**
   * Variables of the JVM's environment that the runtime tools read and that would make a run depend on who started
   * the JVM: ctr's default address and namespace, and the temp directories of go-runc and runc.
   */
  private static final Set<String> UNSET = Set.of("CONTAINERD_ADDRESS", "CONTAINERD_NAMESPACE",
      "CONTAINERD_SNAPSHOTTER", "XDG_RUNTIME_DIR", "TMPDIR", "NOTIFY_SOCKET");
  /** Reads the commands' output; a thread of its own per command, so a shutdown hook never waits behind another. */
  private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "execsim-host-command-output");
    t.setDaemon(true);
    return t;
  });

  /** What a command returned and printed; an exit of {@code null} means it was killed at its limit. */
  record Outcome(List<String> argv, @Nullable Integer exit, String output) {

    boolean isSuccess() {
      return exit != null && exit == 0;
    }

    /** The output, or an {@link IllegalStateException} saying how the command failed. */
    String orThrow() {
      if (!isSuccess()) {
        throw new IllegalStateException(describe());
      }
      return output;
    }

    String describe() {
      String how = exit == null ? "did not end in time" : "exit " + exit;
      return String.join(" ", argv) + ": " + how + ": " + output.strip();
    }
  }

  private HostCommand() {
  }

  /** Runs {@code argv} in the JVM's working directory. */
  static Outcome run(Duration limit, String... argv) {
    return run(null, limit, argv);
  }

  /** Runs {@code argv} in {@code dir}, or in the JVM's working directory if it is {@code null}. */
  static Outcome run(@Nullable Path dir, Duration limit, String... argv) {
    List<String> command = List.of(argv);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    cleanEnvironment(pb.environment());
    log.debug("host command: {}", String.join(" ", command));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), READERS);
    try {
      boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        destroyTree(p);
      }
      String text = output.get(5, TimeUnit.SECONDS);
      return new Outcome(command, ended ? p.exitValue() : null, text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroyTree(p);
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } catch (ExecutionException | TimeoutException e) {
      destroyTree(p);
      return new Outcome(command, null, "(output unreadable: " + e + ")");
    }
  }

  /** Removes from {@code env} what would make the tools behave differently from one caller to the next. */
  static void cleanEnvironment(Map<String, String> env) {
    env.keySet().removeAll(UNSET);
  }

  /** Kills {@code p} and every process below it, at once. */
  static void destroyTree(Process p) {
    List<ProcessHandle> below = p.descendants().toList();
    p.destroyForcibly();
    below.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
