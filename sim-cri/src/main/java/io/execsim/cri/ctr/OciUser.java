package io.execsim.cri.ctr;

import io.execsim.core.cli.Strconv;
import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.fs.Paths;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.UserFiles;
import io.execsim.core.process.UserFiles.Group;
import io.execsim.core.process.UserFiles.Passwd;
import java.util.List;
import java.util.function.Predicate;

/**
 * containerd 1.6.20's {@code oci.WithUser} (with {@code WithUserID}, {@code WithUsername}, {@code UserFromPath},
 * {@code GIDFromPath} and {@code ensureAdditionalGids}), as {@code ctr task exec --user} applies it: the user string
 * ({@code uid}, {@code name}, {@code uid:gid}, {@code name:group}, ...) resolved against {@code /etc/passwd} and
 * {@code /etc/group} of the container's root file system, read from the node's file system as ctr reads the host's.
 * The process runs with the user's uid and gid, and the gid as its only additional group.
 *
 * <p>Simplified: the root file system is the container's {@code root.path}; a container whose rootfs is a
 * snapshot is read there too, where containerd would mount the snapshot. Symbolic links are not modelled.
 */
final class OciUser {
  private static final long UINT32 = 0xFFFF_FFFFL;
  /** {@code oci.ErrNoUsersFound}. */
  private static final String NO_USERS = "no users found";

  private OciUser() {
  }

  /**
   * {@code WithUser(userstr)} on a container whose root file system is {@code root}: the user the process runs as.
   *
   * @throws GoError containerd's error: the open error of {@code /etc/passwd}, {@code no users found},
   *     {@code no groups found}, {@code invalid USER value ...}, {@code rootfs absolute path is required}
   */
  static ProcessSpec.User withUser(NodeFileSystem fs, String root, String userstr) {
    String[] parts = userstr.split(":", -1);
    switch (parts.length) {
      case 1 -> {
        long uid;
        try {
          uid = Strconv.atoi(parts[0]) & UINT32;
        } catch (Strconv.NumError e) {
          // not a number: a user name
          return withUsername(fs, root, userstr);
        }
        return withUserId(fs, root, uid);
      }
      case 2 -> {
        String username = "";
        String groupname = "";
        long uid = 0;
        long gid = 0;
        try {
          uid = Strconv.atoi(parts[0]) & UINT32;
        } catch (Strconv.NumError e) {
          username = parts[0];
        }
        try {
          gid = Strconv.atoi(parts[1]) & UINT32;
        } catch (Strconv.NumError e) {
          groupname = parts[1];
        }
        if (!username.isEmpty() || !groupname.isEmpty()) {
          requireAbsolute(root);
          if (!username.isEmpty()) {
            String name = username;
            uid = userFromPath(fs, root, u -> u.name().equals(name)).uid() & UINT32;
          }
          if (!groupname.isEmpty()) {
            String name = groupname;
            gid = gidFromPath(fs, root, g -> g.name().equals(name)) & UINT32;
          }
        }
        return withAdditionalGid(uid, gid);
      }
      default -> throw GoError.of("invalid USER value " + userstr);
    }
  }

  /** {@code WithUserID}: the passwd entry of the uid, else (no passwd, or no such entry) the uid with gid 0. */
  private static ProcessSpec.User withUserId(NodeFileSystem fs, String root, long uid) {
    requireAbsolute(root);
    Passwd user;
    try {
      user = userFromPath(fs, root, u -> u.uid() == uid);
    } catch (GoError e) {
      boolean notExist = e instanceof PathError p && p.errno() == Errno.ENOENT;
      if (notExist || e.text().equals(NO_USERS)) {
        return withAdditionalGid(uid, 0);
      }
      throw e;
    }
    return withAdditionalGid(user.uid() & UINT32, user.gid() & UINT32);
  }

  /** {@code WithUsername}: the passwd entry of the name, or the error of finding none. */
  private static ProcessSpec.User withUsername(NodeFileSystem fs, String root, String username) {
    requireAbsolute(root);
    Passwd user = userFromPath(fs, root, u -> u.name().equals(username));
    return withAdditionalGid(user.uid() & UINT32, user.gid() & UINT32);
  }

  /** {@code ensureAdditionalGids} after each option reset the list: the gid is the one additional group. */
  private static ProcessSpec.User withAdditionalGid(long uid, long gid) {
    return new ProcessSpec.User(uid, gid, List.of(gid));
  }

  private static void requireAbsolute(String root) {
    if (!root.startsWith("/")) {
      throw GoError.of("rootfs absolute path is required");
    }
  }

  /** {@code UserFromPath}: the first passwd entry that {@code filter} takes. */
  private static Passwd userFromPath(NodeFileSystem fs, String root, Predicate<Passwd> filter) {
    return UserFiles.passwd(fs.readFile(Paths.join(root, "etc/passwd"))).stream().filter(filter).findFirst()
        .orElseThrow(() -> GoError.of(NO_USERS));
  }

  /** {@code GIDFromPath}: the gid of the first group entry that {@code filter} takes. */
  private static long gidFromPath(NodeFileSystem fs, String root, Predicate<Group> filter) {
    return UserFiles.groups(fs.readFile(Paths.join(root, "etc/group"))).stream().filter(filter).findFirst()
        .orElseThrow(() -> GoError.of("no groups found")).gid();
  }
}
