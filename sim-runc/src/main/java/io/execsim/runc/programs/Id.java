package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.process.Credentials;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code id [-ugGnr] [USER]} (busybox 1.35 coreutils/id.c): the user and group ids, named from the container's
 * {@code /etc/passwd} and {@code /etc/group} when they have the ids ({@code uid=0(root) gid=0(root)}), bare
 * otherwise ({@code uid=0 gid=0}, as in a container without those files).
 *
 * <p>Without USER the ids are the process's own, and the groups those {@code getgroups(2)} returns: exactly the
 * supplementary groups the process runs with, {@code groups=} left out when there are none. With USER they are the
 * passwd entry's, and the groups those {@code getgrouplist(3)} gives: the entry's group first, then the groups that
 * list USER as a member. Real and effective ids are one, so {@code euid=} and {@code egid=} never show.
 */
final class Id implements Program {
  static final String NAME = "id";
  private static final String USAGE = "[-ugGnr] [USER]\n\nPrint information about USER or the current user";

  /** A line of {@code /etc/passwd} or {@code /etc/group}: name, id, and the primary group or the members. */
  private record Entry(String name, long id, long gid, List<String> members) {
  }

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    Getopt.Parsed opts;
    try {
      opts = Getopt.parse(ctx.args().subList(1, ctx.args().size()), "rnugG", true);
    } catch (Getopt.InvalidOption e) {
      return Libbb.error(ctx, NAME, e.getMessage()).thenCompose(v -> Libbb.usage(ctx, NAME, USAGE));
    }
    int just = (opts.has('u') ? 1 : 0) + (opts.has('g') ? 1 : 0) + (opts.has('G') ? 1 : 0);
    // getopt32 "u--g:g--u:G--u:u--G:g--G:G--g:r?ugG:n?ugG" and at most one USER
    if (just > 1 || just == 0 && (opts.has('n') || opts.has('r')) || opts.operands().size() > 1) {
      return Libbb.usage(ctx, NAME, USAGE);
    }
    List<Entry> users = table(ctx, "/etc/passwd", true);
    List<Entry> groups = table(ctx, "/etc/group", false);
    long uid;
    long gid;
    List<Long> supplementary;
    if (opts.operands().isEmpty()) {
      // getuid, getgid and getgroups: the ids the process runs as
      Credentials own = ctx.credentials();
      uid = own.uid();
      gid = own.gid();
      supplementary = own.groups();
    } else {
      String wanted = opts.operands().get(0);
      Optional<Entry> u = users.stream().filter(e -> e.name().equals(wanted)).findFirst();
      if (u.isEmpty()) {
        return Libbb.die(ctx, NAME, "unknown user " + wanted);
      }
      uid = u.get().id();
      gid = u.get().gid();
      supplementary = groupList(groups, wanted, gid);
    }
    Names names = new Names(users, groups, opts.has('n'));
    StringBuilder out = new StringBuilder();
    if (just == 0) {
      out.append("uid=").append(names.user(uid, true)).append(" gid=").append(names.group(gid, true));
      for (int i = 0; i < supplementary.size(); i++) {
        out.append(i == 0 ? " groups=" : ",").append(names.group(supplementary.get(i), true));
      }
    } else if (opts.has('u')) {
      out.append(names.user(uid, false));
    } else if (opts.has('g')) {
      out.append(names.group(gid, false));
    } else {
      out.append(names.group(gid, false));
      for (long g : supplementary) {
        if (g != gid) {
          out.append(' ').append(names.group(g, false));
        }
      }
    }
    out.append('\n');
    int code = names.unknown.isEmpty() ? 0 : 1;
    CompletionStage<Void> errors = ctx.printErr(String.join("", names.unknown));
    return errors.thenCompose(v -> Libbb.exitAfter(ctx, NAME, ctx.print(out.toString()), code));
  }

  /** getgrouplist: {@code gid} first, then each group that lists {@code user} as a member, once. */
  private static List<Long> groupList(List<Entry> groups, String user, long gid) {
    List<Long> out = new ArrayList<>(List.of(gid));
    for (Entry g : groups) {
      if (g.members().contains(user) && !out.contains(g.id())) {
        out.add(g.id());
      }
    }
    return out;
  }

  /** Ids as {@code print_common} shows them; remembers the ids {@code -n} could not name. */
  private static final class Names {
    private final List<Entry> users;
    private final List<Entry> groups;
    private final boolean namesOnly;
    private final List<String> unknown = new ArrayList<>();

    Names(List<Entry> users, List<Entry> groups, boolean namesOnly) {
      this.users = users;
      this.groups = groups;
      this.namesOnly = namesOnly;
    }

    String user(long id, boolean full) {
      return show(id, users, full);
    }

    String group(long id, boolean full) {
      return show(id, groups, full);
    }

    private String show(long id, List<Entry> table, boolean full) {
      Optional<String> name = table.stream().filter(e -> e.id() == id).map(Entry::name).findFirst();
      if (full) {
        return id + name.map(n -> "(" + n + ")").orElse("");
      }
      if (!namesOnly) {
        return Long.toString(id);
      }
      if (name.isEmpty()) {
        unknown.add(NAME + ": unknown ID " + id + "\n");
        return Long.toString(id);
      }
      return name.get();
    }
  }

  /** The entries of a passwd or group file; none when the file is missing or unreadable. */
  private static List<Entry> table(ProcessContext ctx, String path, boolean passwd) {
    String text;
    try {
      text = new String(ctx.files().readFile(path), StandardCharsets.UTF_8);
    } catch (GoError | IllegalArgumentException e) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      try {
        if (passwd && f.length >= 4) {
          out.add(new Entry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), List.of()));
        } else if (!passwd && f.length >= 3) {
          List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
          out.add(new Entry(f[0], Long.parseLong(f[2]), Long.parseLong(f[2]), members));
        }
      } catch (NumberFormatException malformed) {
        // libc's parsers skip a line they cannot read
      }
    }
    return out;
  }
}
