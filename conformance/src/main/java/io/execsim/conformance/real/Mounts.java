package io.execsim.conformance.real;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The mounts of the JVM's mount namespace as {@code /proc/self/mountinfo} lists them, and unmounting them. */
final class Mounts {
  private static final Logger log = LoggerFactory.getLogger(Mounts.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);
  private static final int UNMOUNT_TRIES = 10;
  private static final Duration UNMOUNT_PAUSE = Duration.ofMillis(100);

  /**
   * One line of mountinfo.
   *
   * @param point where it is mounted
   * @param type the file system type, such as {@code tmpfs}
   */
  record Mount(Path point, String type) {
  }

  private Mounts() {
  }

  /** Every mount, in the order they were made. */
  static List<Mount> all() {
    try {
      return Files.readAllLines(MOUNTINFO).stream().map(Mounts::parse).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
    }
  }

  /** The mount whose mount point is {@code dir}; the last one if several are stacked. */
  static Optional<Mount> at(Path dir) {
    List<Mount> found = all().stream().filter(m -> m.point().equals(dir)).toList();
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
  }

  /** The mount points at or below {@code root}, deepest first. */
  static List<Path> below(Path root) {
    return all().stream().map(Mount::point).filter(p -> p.startsWith(root)).distinct()
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
  }

  /** Mounts a new tmpfs with {@code options} on {@code dir}. */
  static void mountTmpfs(Path dir, String options) {
    HostCommand.run(COMMAND_LIMIT, HostBinary.MOUNT.path(), "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
        .orThrow();
  }

  /**
   * Unmounts everything mounted on {@code dir}, retrying while it is busy and detaching it lazily at last; whether
   * nothing is mounted there any more.
   */
  static boolean unmount(Path dir) {
    for (int i = 0; i < UNMOUNT_TRIES && at(dir).isPresent(); i++) {
      HostCommand.Outcome o = HostCommand.run(COMMAND_LIMIT, HostBinary.UMOUNT.path(), dir.toString());
      if (!o.isSuccess()) {
        log.debug("umount {}: {}", dir, o.describe());
        Processes.pause(UNMOUNT_PAUSE);
      }
    }
    for (int i = 0; i < UNMOUNT_TRIES && at(dir).isPresent(); i++) {
      log.warn("umount {}: still busy, detaching it lazily", dir);
      HostCommand.Outcome o = HostCommand.run(COMMAND_LIMIT, HostBinary.UMOUNT.path(), "-l", dir.toString());
      if (!o.isSuccess()) {
        log.warn("umount -l {} failed: {}", dir, o.describe());
      }
    }
    return at(dir).isEmpty();
  }

  private static Mount parse(String line) {
    // fields: id parent major:minor root point options [optional...] - type source super-options
    String[] f = line.split(" ");
    int dash = List.of(f).indexOf("-");
    return new Mount(Path.of(unescape(f[4])), f[dash + 1]);
  }

  private static String unescape(String field) {
    // mountinfo writes space, tab, newline and backslash as three octal digits after a backslash
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
