package io.execsim.runc;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.Credentials;
import io.execsim.core.process.UserFiles;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ids a container process runs as and the environment it starts with, as runc v1.1.5's init sets them up
 * before it executes the process ({@code setupUser} in libcontainer/init_linux.go).
 *
 * <p>runc hands its init the spec's user as the string {@code "uid:gid"} and the additional gids as decimal strings
 * (utils_linux.go {@code newProcess}). Init looks them up in the container's {@code /etc/passwd} and
 * {@code /etc/group} (libcontainer/user {@code GetExecUser} and {@code GetAdditionalGroups}), either of which may
 * be missing. As both ids are numeric, the uid and gid are the spec's, the passwd entry of the uid gives only the
 * home directory, and the supplementary groups are exactly the additional gids, never groups from the group file's
 * member lists.
 *
 * @param credentials the ids the process runs as
 * @param env the process's environment, with {@code HOME} set when it had none or an empty one
 */
record ExecUser(Credentials credentials, List<String> env) {
  private static final String PASSWD_PATH = "/etc/passwd";
  private static final String GROUP_PATH = "/etc/group";
  /** libcontainer/user's {@code maxID}: the largest id it takes that no file names, for 32-bit systems. */
  private static final long MAX_ID = (1L << 31) - 1;
  /** The kernel's {@code NGROUPS_MAX}. */
  private static final int NGROUPS_MAX = 65536;
  private static final long NO_ID = 0xffff_ffffL;

  /** Copies the environment. */
  ExecUser {
    env = List.copyOf(env);
  }

  /** What opening a user database gives: its bytes, or the error reading them (it is a directory). */
  private record Opened(byte[] data, @Nullable PathError readError) {
    /** The bytes, or the error reading them. */
    byte[] read() {
      if (readError != null) {
        throw readError;
      }
      return data;
    }
  }

  /**
   * Sets up the user of {@code process} in a container whose root file system is {@code root}, or fails with the
   * error runc's init reports, {@code unable to setup user: ...}.
   */
  static ExecUser setUp(FileSystemView root, ProcessSpec process) {
    try {
      return resolve(root, process);
    } catch (GoError e) {
      throw GoError.wrap("unable to setup user", e);
    }
  }

  private static ExecUser resolve(FileSystemView root, ProcessSpec process) {
    ProcessSpec.User user = process.user();
    // utils_linux.go newProcess: the user string is "%d:%d" of the uid and the gid
    String userArg = Long.toString(user.uid());
    Optional<Opened> passwd = open(root, PASSWD_PATH);
    Optional<Opened> group = open(root, GROUP_PATH);

    // GetExecUser: a numeric user is a uid; the first passwd entry with it gives the home, else the default "/"
    List<UserFiles.Passwd> users;
    try {
      users = passwd.map(f -> UserFiles.passwd(f.read())).orElse(List.of());
    } catch (GoError e) {
      throw GoError.wrap("unable to find user " + userArg, e);
    }
    Optional<UserFiles.Passwd> entry = users.stream().filter(u -> u.uid() == user.uid()).findFirst();
    if (entry.isEmpty()) {
      requireRange(user.uid());
    }
    String home = entry.map(UserFiles.Passwd::home).orElse("/");

    // GetExecUser: the group is explicit, so it is the gid, checked like the uid, and adds no groups of its own
    List<UserFiles.Group> groups;
    try {
      groups = group.map(f -> UserFiles.groups(f.read())).orElse(List.of());
    } catch (GoError e) {
      throw GoError.wrap("unable to find groups for spec " + entry.map(UserFiles.Passwd::name).orElse(""), e);
    }
    if (groups.stream().noneMatch(g -> g.gid() == user.gid())) {
      requireRange(user.gid());
    }

    // setupUser: setgroups(2), setgid(2) and setuid(2), which take 32-bit ids and refuse (uid_t) -1
    List<Long> supplementary = additionalGroups(user.additionalGids(), groups).stream()
        .map(ExecUser::kernelId).toList();
    if (supplementary.size() > NGROUPS_MAX || supplementary.contains(NO_ID)) {
      throw GoError.wrap("setgroups", Errno.EINVAL.error());
    }
    if (kernelId(user.gid()) == NO_ID || kernelId(user.uid()) == NO_ID) {
      throw Errno.EINVAL.error();
    }
    Credentials credentials = new Credentials(user.uid(), user.gid(), supplementary);

    // setupUser: HOME is set only when the environment has none or an empty one
    if (!process.envValue("HOME").orElse("").isEmpty()) {
      return new ExecUser(credentials, process.env());
    }
    return new ExecUser(credentials, withHome(process.env(), home));
  }

  /**
   * GetAdditionalGroups: each gid names the first group entry with that name or gid not taken yet, else stands for
   * itself when in range. The group file was read already, so reading it again cannot fail.
   */
  private static Set<Long> additionalGroups(List<Long> additionalGids, List<UserFiles.Group> groups) {
    // Simplified: runc collects these in a Go map, so its order is random; here they keep the order found
    // (setgroups(2) sorts them either way)
    Set<Long> found = new LinkedHashSet<>();
    for (long gid : additionalGids) {
      String wanted = Long.toString(gid);
      Optional<UserFiles.Group> match = groups.stream()
          .filter(g -> g.name().equals(wanted) || Long.toString(g.gid()).equals(wanted))
          .filter(g -> !found.contains(g.gid()))
          .findFirst();
      if (match.isPresent()) {
        found.add(match.get().gid());
      } else {
        requireRange(gid);
        found.add(gid);
      }
    }
    return found;
  }

  /** libcontainer/user's range check of an id that no file names: {@code ErrRange}. */
  private static void requireRange(long id) {
    if (id < 0 || id > MAX_ID) {
      throw GoError.of("uids and gids must be in range 0-" + MAX_ID);
    }
  }

  /** An id as the kernel takes it: Go passes it on as a 32-bit {@code uid_t} or {@code gid_t}. */
  private static long kernelId(long id) {
    return id & NO_ID;
  }

  /** {@code env} after {@code os.Setenv("HOME", home)}: Go keeps one entry a name, where it came first. */
  private static List<String> withHome(List<String> env, String home) {
    List<String> out = new ArrayList<>();
    boolean set = false;
    for (String e : env) {
      if (!e.startsWith("HOME=")) {
        out.add(e);
      } else if (!set) {
        out.add("HOME=" + home);
        set = true;
      }
    }
    if (!set) {
      out.add("HOME=" + home);
    }
    return out;
  }

  /** The file at {@code path}; none when it cannot be opened, as {@code GetExecUserPath} then reads nothing. */
  private static Optional<Opened> open(FileSystemView root, String path) {
    try {
      return Optional.of(new Opened(root.readFile(path), null));
    } catch (PathError e) {
      // a directory opens, and fails only once read
      return e.op().equals("read") ? Optional.of(new Opened(new byte[0], e)) : Optional.empty();
    } catch (IllegalArgumentException fifo) {
      // Simplified: a FIFO counts as missing; runc's open would wait for a writer
      return Optional.empty();
    }
  }
}
