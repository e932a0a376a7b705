package io.execsim.core.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids a process runs as (credentials(7)): its user id, its group id and its supplementary groups. Real,
 * effective and saved ids are one, as a privileged {@code setuid(2)} and {@code setgid(2)} leave them.
 *
 * <p>Simplified: the file system checks no permissions against these; every process reads and writes files as
 * root does.
 *
 * @param uid the user id, 0 to 4294967294
 * @param gid the group id, 0 to 4294967294
 * @param groups the supplementary group ids, ascending as {@code setgroups(2)} stores them and {@code getgroups(2)}
 *     returns them; a group may appear more than once
 */
public record Credentials(long uid, long gid, List<Long> groups) {
  /** The largest id: {@code (uid_t) -1} is no id. */
  public static final long MAX_ID = 0xffff_fffeL;

  /** Root without supplementary groups, as runc starts a process whose spec names uid 0 and gid 0 only. */
  public static final Credentials ROOT = new Credentials(0, 0, List.of());

  /** Checks the ids and sorts the groups. */
  public Credentials {
    requireId("uid", uid);
    requireId("gid", gid);
    List<Long> sorted = new ArrayList<>(List.copyOf(groups));
    sorted.forEach(g -> requireId("supplementary gid", g));
    sorted.sort(null);
    groups = List.copyOf(sorted);
  }

  private static void requireId(String what, long id) {
    if (id < 0 || id > MAX_ID) {
      throw new IllegalArgumentException(what + " must be 0 to " + MAX_ID + ": " + id);
    }
  }
}
