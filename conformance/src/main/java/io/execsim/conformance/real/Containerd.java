package io.execsim.conformance.real;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scenario's containerd, run by hand as its own session leader with everything but the paths that containerd
 * 1.6 hard-codes in its own directory: config, root, sockets and log; its state directory is given. The shims it
 * starts inherit its environment, so its {@code TMPDIR} is theirs. The calling thread blocks in every method until
 * containerd answers or has exited.
 */
final class Containerd {
  private static final Logger log = LoggerFactory.getLogger(Containerd.class);
  private static final Duration READY_LIMIT = Duration.ofSeconds(15);
  private static final Duration PROBE_LIMIT = Duration.ofSeconds(3);
  private static final Duration PROBE_PAUSE = Duration.ofMillis(25);
  private static final List<String> DISABLED_PLUGINS = List.of("io.containerd.grpc.v1.cri",
      "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
      "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs");

  private final Path dir;
  private final Path state;
  private final Path tmp;
  private @Nullable Process process;

  /**
   * A containerd with its own files in {@code dir}, its state in {@code state}, and {@code tmp} as the
   * {@code TMPDIR} of its shims.
   */
  Containerd(Path dir, Path state, Path tmp) {
    this.dir = dir;
    this.state = state;
    this.tmp = tmp;
  }

  /** The gRPC socket that {@code ctr -a} connects to. */
  Path socket() {
    return dir.resolve("containerd.sock");
  }

  /** The file that containerd's stdout and stderr, its debug log, go to. */
  Path logFile() {
    return dir.resolve("containerd.log");
  }

  /** Writes the config; the directories it names are made by containerd. */
  void configure() {
    String config = String.join("\n",
        "version = 2",
        "root = " + quoted(dir.resolve("root")),
        "state = " + quoted(state),
        "disabled_plugins = [" + String.join(", ", DISABLED_PLUGINS.stream().map(Containerd::quoted).toList()) + "]",
        "[grpc]",
        "  address = " + quoted(socket()),
        "[ttrpc]",
        "  address = " + quoted(dir.resolve("containerd.sock.ttrpc")),
        "[debug]",
        "  address = " + quoted(dir.resolve("debug.sock")),
        "  level = \"debug\"",
        "[plugins]",
        "  [plugins.\"io.containerd.internal.v1.opt\"]",
        "    path = " + quoted(dir.resolve("opt")),
        "");
    try {
      Files.createDirectories(dir);
      Files.writeString(configFile(), config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the containerd config " + configFile() + ": " + e.getMessage(), e);
    }
  }

  /** Starts containerd and waits until it answers {@code ctr version}. */
  void start() {
    Optional<Long> running = pid();
    if (running.isPresent()) {
      throw new IllegalStateException("containerd is already running: pid " + running.get());
    }
    ProcessBuilder pb = new ProcessBuilder(HostBinary.SETSID.path(), HostBinary.CONTAINERD.path(), "--config",
        configFile().toString())
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
        .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    HostCommand.cleanEnvironment(env);
    env.put("TMPDIR", tmp.toString());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start containerd: " + e.getMessage(), e);
    }
    awaitReady();
    log.debug("containerd {} answers on {}", pid().orElse(-1L), socket());
  }

  /** Whether a containerd runs with this config. */
  boolean isRunning() {
    return pid().isPresent();
  }

  /** The pid of the containerd that runs with this config. */
  Optional<Long> pid() {
    String config = configFile().toString();
    return Processes.matching(p -> !p.argv().isEmpty() && p.argv().get(0).endsWith("containerd")
        && p.hasOption("--config", config)).stream().map(Processes.Info::pid).findFirst();
  }

  /** Sends SIGTERM and waits up to {@code grace} for containerd to exit, then kills it. */
  void stop(Duration grace) {
    long pid = pid().orElseThrow(() -> new IllegalStateException("containerd is not running"));
    Processes.signal(pid, Signal.TERM);
    if (!awaitExit(pid, grace)) {
      log.warn("containerd {} did not exit within {} of SIGTERM; killing it", pid, grace);
      Processes.signal(pid, Signal.KILL);
      awaitExit(pid, grace);
    }
  }

  /** Sends SIGKILL and waits until containerd is gone. */
  void kill(Duration limit) {
    long pid = pid().orElseThrow(() -> new IllegalStateException("containerd is not running"));
    Processes.signal(pid, Signal.KILL);
    if (!awaitExit(pid, limit)) {
      throw new IllegalStateException("containerd " + pid + " still runs " + limit + " after SIGKILL");
    }
  }

  private boolean awaitExit(long pid, Duration limit) {
    Process p = process;
    if (p != null && p.pid() == pid) {
      try {
        return p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return Processes.awaitGone(List.of(pid), limit);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    HostCommand.Outcome last;
    do {
      Process p = process;
      if (p != null && !p.isAlive() && !isRunning()) {
        throw new IllegalStateException("containerd exited at start with " + p.exitValue() + "; see " + logFile());
      }
      last = HostCommand.run(PROBE_LIMIT, HostBinary.CTR.path(), "-a", socket().toString(), "version");
      if (last.isSuccess()) {
        return;
      }
      Processes.pause(PROBE_PAUSE);
    } while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted());
    throw new IllegalStateException("containerd does not answer after " + READY_LIMIT + ": " + last.describe()
        + "; see " + logFile());
  }

  private Path configFile() {
    return dir.resolve("config.toml");
  }

  private static String quoted(Object value) {
    return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
