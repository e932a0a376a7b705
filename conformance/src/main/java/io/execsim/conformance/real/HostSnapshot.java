package io.execsim.conformance.real;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the machine held, before a scenario began, in the places outside the scenario's directory where the runtime
 * writes: the paths containerd 1.6 hard-codes below {@code /run/containerd} and the cgroup directories that runc
 * makes. Comparing with it tells what the scenario made there.
 */
final class HostSnapshot {
  /** ctr's FIFO directories, one per {@code ctr run} or {@code ctr task exec}. */
  static final Path FIFO = Path.of("/run/containerd/fifo");
  /** The shims' sockets. */
  static final Path SHIM_SOCKETS = Path.of("/run/containerd/s");
  /** runc's state root for containerd's namespace {@code default}. */
  static final Path RUNC_STATE = Path.of("/run/containerd/runc/default");
  /** The directories containerd and ctr create on their way to the ones above, the deepest first. */
  private static final List<Path> RUN_DIRS = List.of(RUNC_STATE, RUNC_STATE.getParent(), SHIM_SOCKETS, FIFO,
      FIFO.getParent());
  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
  private static final Path SELF_CGROUP = Path.of("/proc/self/cgroup");

  private final Set<Path> runDirs;
  private final Map<Path, Set<String>> children;

  private HostSnapshot(Set<Path> runDirs, Map<Path, Set<String>> children) {
    this.runDirs = runDirs;
    this.children = children;
  }

  /** Looks at the machine now. */
  static HostSnapshot take() {
    Set<Path> runDirs = new LinkedHashSet<>();
    Map<Path, Set<String>> children = new LinkedHashMap<>();
    for (Path d : RUN_DIRS) {
      if (Files.isDirectory(d)) {
        runDirs.add(d);
      }
      children.put(d, names(d));
    }
    for (Path d : cgroupParents()) {
      children.put(d, names(d));
    }
    return new HostSnapshot(runDirs, children);
  }

  /** The entries of {@code dir}, one of the paths above, that were not there before. */
  List<Path> added(Path dir) {
    Set<String> before = children.getOrDefault(dir, Set.of());
    return names(dir).stream().filter(n -> !before.contains(n)).map(dir::resolve).toList();
  }

  /** The directories below {@code /run} that did not exist before, the deepest first. */
  List<Path> addedRunDirs() {
    return RUN_DIRS.stream().filter(d -> !runDirs.contains(d)).toList();
  }

  /**
   * The cgroup directories that were made since, each with its subdirectories, the deepest first: new children of
   * each hierarchy's root and of this JVM's own cgroup in it, where runc puts a container without a cgroups path.
   */
  List<Path> addedCgroups() {
    List<Path> out = new ArrayList<>();
    for (Path parent : cgroupParents()) {
      Set<String> before = children.get(parent);
      if (before == null) {
        continue;
      }
      for (String n : names(parent)) {
        if (!before.contains(n)) {
          out.addAll(subdirectories(parent.resolve(n)));
        }
      }
    }
    out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return out;
  }

  private static List<Path> cgroupParents() {
    List<Path> roots = new ArrayList<>();
    try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(CGROUPS)) {
      hierarchies.forEach(h -> {
        if (Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)) {
          roots.add(h);
        }
      });
    } catch (IOException e) {
      return List.of();
    }
    Set<String> own = new LinkedHashSet<>();
    try {
      // lines "id:controllers:path"; the path is relative to the root of that hierarchy
      for (String line : Files.readAllLines(SELF_CGROUP)) {
        String path = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
        if (!path.equals("/")) {
          own.add(path.substring(1));
        }
      }
    } catch (IOException e) {
      // without it only the roots are watched
    }
    List<Path> out = new ArrayList<>(roots);
    for (Path r : roots) {
      own.stream().map(r::resolve).filter(Files::isDirectory).forEach(out::add);
    }
    return out;
  }

  private static List<Path> subdirectories(Path top) {
    try (Stream<Path> s = Files.walk(top)) {
      return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException | RuntimeException e) {
      return List.of(top);
    }
  }

  private static Set<String> names(Path dir) {
    Set<String> out = new LinkedHashSet<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      // a directory that vanished while it was read holds nothing
    }
    return out;
  }
}
