package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.Paths;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * {@code ls [-1aAdln] [FILE]...}: names sorted byte-wise, one per line; files named on the command line first, then
 * each directory's entries (under a {@code dir:} header when more than one operand was given). {@code -a} adds
 * dot files with {@code .} and {@code ..}, {@code -A} dot files alone, {@code -d} lists directories themselves and
 * {@code -l} gives busybox's long lines. A missing operand is reported as {@code ls: x: No such file or
 * directory}, and the exit code becomes 1.
 */
final class Ls implements Program {
  static final String NAME = "ls";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  /** What {@code stat} reports as a directory's size on ext4 and overlayfs; the node's directories have none. */
  private static final long DIRECTORY_SIZE = 4096;

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    Getopt.Parsed opts;
    try {
      // TODO: with a terminal busybox prints columns; here it is always one name per line. Options other than
      // -1aAdln are accepted and change nothing
      opts = Getopt.parse(ctx.args().subList(1, ctx.args().size()), "1AaCxdLHRFiscetuSXrvhnlgGkKZ", true);
    } catch (Getopt.InvalidOption e) {
      return Libbb.error(ctx, NAME, e.getMessage())
          .thenCompose(v -> Libbb.usage(ctx, NAME, "[-1AaCxdLHRFilnshcetuSXrvZ] [-w WIDTH] [FILE]..."));
    }
    Listing l = new Listing(ctx, opts);
    List<String> operands = opts.operands().isEmpty() ? List.of(".") : opts.operands();
    List<String> files = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    for (String name : operands.stream().sorted().toList()) {
      try {
        FileInfo info = ctx.files().stat(ctx.resolve(name));
        (info.isDirectory() && !opts.has('d') ? dirs : files).add(name);
      } catch (GoError e) {
        l.errors.append(NAME).append(": ").append(name).append(": ").append(Libbb.strerror(e)).append('\n');
      }
    }
    for (String f : files) {
      l.entry(f, ctx.resolve(f));
    }
    boolean first = files.isEmpty();
    for (String d : dirs) {
      if (operands.size() > 1) {
        l.out.append(first ? "" : "\n").append(d).append(":\n");
      }
      first = false;
      l.directory(d);
    }
    int code = l.errors.length() == 0 ? 0 : 1;
    return ctx.printErr(l.errors.toString())
        .thenCompose(v -> Libbb.exitAfter(ctx, NAME, ctx.print(l.out.toString()), code));
  }

  /** The output of one run. */
  private static final class Listing {
    private final ProcessContext ctx;
    private final Getopt.Parsed opts;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder errors = new StringBuilder();

    Listing(ProcessContext ctx, Getopt.Parsed opts) {
      this.ctx = ctx;
      this.opts = opts;
    }

    void directory(String shown) {
      String dir = ctx.resolve(shown);
      List<String> names = new ArrayList<>();
      if (opts.has('a')) {
        names.add(".");
        names.add("..");
      }
      for (String n : ctx.files().list(dir)) {
        if (!n.startsWith(".") || opts.has('a') || opts.has('A')) {
          names.add(n);
        }
      }
      names.sort(null);
      if (opts.has('l')) {
        long kib = 0;
        for (String n : names) {
          kib += (size(ctx.files().stat(Paths.join(dir, n))) + 4095) / 4096 * 4;
        }
        out.append("total ").append(kib).append('\n');
      }
      for (String n : names) {
        entry(n, Paths.join(dir, n));
      }
    }

    void entry(String shown, String path) {
      if (opts.has('l')) {
        FileInfo info = ctx.files().stat(path);
        String owner = opts.has('n') ? "0" : name("/etc/passwd", 0);
        String group = opts.has('n') ? "0" : name("/etc/group", 0);
        // TODO: the node keeps no owners or times: files show as root's, with the current time
        out.append(String.format(Locale.ROOT, "%-10s %4d %-8.8s %-8.8s %9d %s ", mode(info), links(info, path),
            owner, group, size(info), TIME.format(ctx.now())));
      }
      out.append(shown).append('\n');
    }

    private int links(FileInfo info, String path) {
      if (!info.isDirectory()) {
        return 1;
      }
      int n = 2;
      for (String child : ctx.files().list(path)) {
        n += ctx.files().stat(Paths.join(path, child)).isDirectory() ? 1 : 0;
      }
      return n;
    }

    /** The name of {@code id} in a passwd or group file, or the number when it has none. */
    private String name(String file, long id) {
      try {
        for (String line : new String(ctx.files().readFile(file), StandardCharsets.UTF_8).split("\n")) {
          String[] f = line.split(":", -1);
          if (f.length >= 3 && f[2].equals(Long.toString(id))) {
            return f[0];
          }
        }
      } catch (GoError | IllegalArgumentException e) {
        // no such file: the id stays a number
      }
      return Long.toString(id);
    }
  }

  private static long size(FileInfo info) {
    return info.isDirectory() ? DIRECTORY_SIZE : info.size();
  }

  /** The mode as {@code bb_mode_string} writes it, e.g. {@code drwxr-xr-x}. */
  private static String mode(FileInfo info) {
    StringBuilder s = new StringBuilder();
    s.append(switch (info.type()) {
      case DIRECTORY -> 'd';
      case FIFO -> 'p';
      case SOCKET -> 's';
      case REGULAR -> '-';
    });
    String rwx = "rwx";
    for (int bit = 8; bit >= 0; bit--) {
      s.append((info.mode() & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
    }
    return s.toString();
  }
}
