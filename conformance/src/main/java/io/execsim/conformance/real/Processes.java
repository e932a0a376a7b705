package io.execsim.conformance.real;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's processes as {@code /proc} shows them: found by command line, working directory or cgroup, and
 * signalled by pid. A process that has ended but is not reaped yet counts as gone.
 */
final class Processes {
  private static final Logger log = LoggerFactory.getLogger(Processes.class);
  private static final Path PROC = Path.of("/proc");
  private static final Duration POLL = Duration.ofMillis(20);

  /**
   * One process as seen at one moment.
   *
   * @param pid its id
   * @param argv its command line; empty for a kernel thread or a zombie
   * @param cwd its working directory as its own mount namespace names it, if it could be read
   */
  record Info(long pid, List<String> argv, Optional<String> cwd) {

    /** Whether some word of the command line contains {@code text}. */
    boolean mentions(String text) {
      return argv.stream().anyMatch(w -> w.contains(text));
    }

    /** Whether {@code flag} is followed by {@code value} on the command line. */
    boolean hasOption(String flag, String value) {
      for (int i = 0; i + 1 < argv.size(); i++) {
        if (argv.get(i).equals(flag) && argv.get(i + 1).equals(value)) {
          return true;
        }
      }
      return false;
    }
  }

  private Processes() {
  }

  /** The processes, but for this JVM, that match {@code filter}. */
  static List<Info> matching(Predicate<Info> filter) {
    long self = ProcessHandle.current().pid();
    List<Info> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path d : dirs) {
        long pid = Long.parseLong(d.getFileName().toString());
        if (pid != self) {
          read(pid).filter(filter).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return out;
  }

  /** The pids in {@code cgroup.procs} of the cgroup directory {@code dir}; none if it cannot be read. */
  static List<Long> inCgroup(Path dir) {
    try {
      return Files.readAllLines(dir.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
          .map(l -> Long.parseLong(l.strip())).toList();
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
  }

  /** Sends {@code signal} to {@code pid}; whether it was delivered. */
  static boolean signal(long pid, Signal signal) {
    HostCommand.Outcome o = HostCommand.run(Duration.ofSeconds(5), HostBinary.KILL.path(), "-s", signal.name(),
        Long.toString(pid));
    log.debug("kill -s {} {}: exit {}", signal, pid, o.exit());
    return o.isSuccess();
  }

  /** Sends {@code signal} to each of {@code pids} that still runs. */
  static void signalAll(Collection<Long> pids, Signal signal) {
    List<String> argv = new ArrayList<>(List.of(HostBinary.KILL.path(), "-s", signal.name()));
    pids.stream().filter(Processes::isAlive).map(String::valueOf).forEach(argv::add);
    if (argv.size() > 3) {
      // kill fails if one process is gone already, but still signals the others
      HostCommand.run(Duration.ofSeconds(5), argv.toArray(String[]::new));
    }
  }

  /** Whether {@code pid} is a process that has not ended. */
  static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
      // the state follows the command name, which is in parentheses and may itself hold spaces
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Waits until every one of {@code pids} is gone or {@code limit} has passed; whether they are all gone. */
  static boolean awaitGone(Collection<Long> pids, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (pids.stream().anyMatch(Processes::isAlive)) {
      if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
        return false;
      }
      pause(POLL);
    }
    return true;
  }

  /** Sleeps for {@code time}, keeping the thread's interrupt for its caller. */
  static void pause(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<Info> read(long pid) {
    Path dir = PROC.resolve(Long.toString(pid));
    try {
      byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
      List<String> argv = raw.length == 0 ? List.of()
          : Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
      Optional<String> cwd;
      try {
        cwd = Optional.of(Files.readSymbolicLink(dir.resolve("cwd")).toString());
      } catch (IOException e) {
        cwd = Optional.empty();
      }
      return Optional.of(new Info(pid, argv, cwd));
    } catch (IOException e) {
      // the process ended while it was being read
      return Optional.empty();
    }
  }
}
