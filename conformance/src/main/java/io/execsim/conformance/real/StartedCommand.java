package io.execsim.conformance.real;

import io.execsim.conformance.Side;
import io.execsim.conformance.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ctr or runc command of a scenario while it runs. Its stdout and stderr go to files, never pipes: {@code runc run
 * -d} hands its stdio on to the container, and a pipe would then never end. {@link #await} blocks the calling thread;
 * a command still running at its limit is killed with its children and recorded as hung.
 */
final class StartedCommand implements Side.Running {
  private static final Logger log = LoggerFactory.getLogger(StartedCommand.class);

  private final String label;
  private final Process process;
  private final long startNanos;
  private final Path stdout;
  private final Path stderr;

  /** {@code process}, started at {@code startNanos} of {@link System#nanoTime}, writing to the two files. */
  StartedCommand(String label, Process process, long startNanos, Path stdout, Path stderr) {
    this.label = label;
    this.process = process;
    this.startNanos = startNanos;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public StepResult await(Duration limit) {
    long left = limit.toNanos() - (System.nanoTime() - startNanos);
    boolean ended;
    try {
      ended = process.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IllegalStateException("interrupted while waiting for " + label, e);
    }
    if (!ended) {
      log.debug("{}: still running after {}; killing it", label, limit);
      stop();
      return StepResult.hung(label, read(stdout), read(stderr));
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    log.debug("{}: exit {} after {} ms", label, process.exitValue(), ms);
    return new StepResult(label, read(stdout), read(stderr), process.exitValue());
  }

  /** Kills the command and its children if it still runs. */
  void stop() {
    if (process.isAlive()) {
      HostCommand.destroyTree(process);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new IllegalStateException("cannot read command output " + file + ": " + e.getMessage(), e);
    }
  }
}
