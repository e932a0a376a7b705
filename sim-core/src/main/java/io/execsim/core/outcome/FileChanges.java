package io.execsim.core.outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed in a container's file system between two snapshots, by path inside the container: paths that
 * appeared, paths whose type, mode or content changed, and paths that went away. Each list is sorted.
 *
 * @param created paths that exist only in the later snapshot
 * @param modified paths in both whose fingerprints differ
 * @param removed paths that exist only in the earlier snapshot
 */
public record FileChanges(List<String> created, List<String> modified, List<String> removed) {

  /** Copies and sorts the lists. */
  public FileChanges {
    created = List.copyOf(new TreeSet<>(created));
    modified = List.copyOf(new TreeSet<>(modified));
    removed = List.copyOf(new TreeSet<>(removed));
  }

  /** No change at all. */
  public static FileChanges none() {
    return new FileChanges(List.of(), List.of(), List.of());
  }

  /**
   * The changes from {@code before} to {@code after}, two snapshots that map each path to a fingerprint of the
   * file (any value whose equality means "unchanged", e.g. its type, mode and a hash of its content).
   */
  public static FileChanges between(Map<String, ?> before, Map<String, ?> after) {
    List<String> created = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    after.forEach((path, print) -> {
      if (!before.containsKey(path)) {
        created.add(path);
      } else if (!Objects.equals(before.get(path), print)) {
        modified.add(path);
      }
    });
    before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(removed::add);
    return new FileChanges(created, modified, removed);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return created.isEmpty() && modified.isEmpty() && removed.isEmpty();
  }
}
