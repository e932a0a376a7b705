package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code head [-n [-]N[bkm]] [-c [-]N[bkm]] [-qv] [-N] [FILE]...}: the first N lines (10 by default) or bytes of
 * each file or stdin, or all but the last N with a minus. It stops reading once it has printed enough, so
 * {@code yes | head -n 3} ends; with more than one file each gets a {@code ==> name <==} header.
 */
final class Head implements Program {
  static final String NAME = "head";
  private static final String USAGE = "[OPTIONS] [FILE]...";

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    List<String> argv = ctx.args().subList(1, ctx.args().size());
    Job job = new Job(ctx);
    // the old form "head -5" is taken only as the first argument
    if (!argv.isEmpty() && argv.get(0).matches("-\\d.*")) {
      if (!job.count(argv.get(0).substring(1))) {
        return job.invalid;
      }
      argv = argv.subList(1, argv.size());
    }
    Getopt.Parsed opts;
    try {
      opts = Getopt.parse(argv, "n:c:qv", true);
    } catch (Getopt.InvalidOption e) {
      return Libbb.error(ctx, NAME, e.getMessage()).thenCompose(v -> Libbb.usage(ctx, NAME, USAGE));
    }
    int headerThreshold = 1;
    for (Getopt.Option o : opts.options()) {
      switch (o.letter()) {
        case 'q' -> headerThreshold = Integer.MAX_VALUE;
        case 'v' -> headerThreshold = -1;
        default -> {
          job.bytes |= o.letter() == 'c';
          if (!job.count(o.argument())) {
            return job.invalid;
          }
        }
      }
    }
    List<String> files = opts.operands().isEmpty() ? List.of("-") : opts.operands();
    boolean headers = files.size() > headerThreshold;
    int[] next = {0};
    int[] code = {0};
    return AsyncLoop.repeat(() -> {
      if (next[0] == files.size()) {
        return CompletableFuture.completedFuture(false);
      }
      String header = !headers ? "" : (next[0] == 0 ? "" : "\n") + "==> %s <==\n";
      return job.file(files.get(next[0]++), header).thenApply(c -> {
        code[0] |= c;
        return true;
      });
    }).thenApply(v -> code[0]);
  }

  /** The settings and output of one run. */
  private static final class Job {
    private final ProcessContext ctx;
    private boolean bytes;
    private boolean allBut;
    private long count = 10;
    private CompletionStage<Integer> invalid = CompletableFuture.completedFuture(1);

    Job(ProcessContext ctx) {
      this.ctx = ctx;
    }

    /** Takes a count as {@code eat_num} reads it; false after reporting an invalid one. */
    boolean count(String text) {
      allBut = text.startsWith("-");
      String digits = allBut ? text.substring(1) : text;
      OptionalLong n = Libbb.parseUnsigned(digits, Libbb.BKM_SUFFIXES);
      if (n.isEmpty()) {
        invalid = Libbb.die(ctx, NAME, "invalid number '" + digits + "'");
        return false;
      }
      count = n.getAsLong();
      return true;
    }

    CompletionStage<Integer> file(String name, String headerFormat) {
      ByteSource in;
      try {
        in = Libbb.openInput(ctx, name);
      } catch (GoError e) {
        // fopen_or_warn: bb_simple_perror_msg(path)
        return Libbb.die(ctx, NAME, name + ": " + Libbb.strerror(e));
      }
      String shown = name.equals("-") ? "standard input" : name;
      CompletionStage<Void> header = headerFormat.isEmpty()
          ? CompletableFuture.completedFuture(null)
          : ctx.print(String.format(headerFormat, shown));
      CompletionStage<Void> body = header.thenCompose(v -> allBut ? allButLast(in) : first(in));
      return Libbb.exitAfter(ctx, NAME, body, 0);
    }

    private CompletionStage<Void> first(ByteSource in) {
      long[] left = {count};
      return AsyncLoop.repeat(() -> {
        if (left[0] == 0) {
          return CompletableFuture.completedFuture(false);
        }
        return in.read(Libbb.COPY_BUFFER).handle((chunk, e) -> {
          // a read error ends the file quietly, as getc() returning EOF does
          if (e != null || chunk.isEmpty()) {
            return CompletableFuture.completedFuture(false);
          }
          byte[] b = chunk.get();
          int cut = bytes ? (int) Math.min(b.length, left[0]) : lineCut(b, left);
          if (bytes) {
            left[0] -= cut;
          }
          return ctx.stdout().write(cut == b.length ? b : Arrays.copyOf(b, cut)).thenApply(v -> left[0] > 0);
        }).thenCompose(s -> s);
      });
    }

    /** Where the output of {@code b} stops: after {@code left[0]} newlines or at its end; counts them down. */
    private static int lineCut(byte[] b, long[] left) {
      for (int i = 0; i < b.length; i++) {
        if (b[i] == '\n' && --left[0] == 0) {
          return i + 1;
        }
      }
      return b.length;
    }

    private CompletionStage<Void> allButLast(ByteSource in) {
      return Streams.readAll(in, Integer.MAX_VALUE - 8).thenCompose(b -> {
        int end = b.length;
        if (bytes) {
          end = (int) Math.max(0, b.length - count);
        } else {
          // the last line counts even without its newline
          long lines = count;
          int i = b.length - 1;
          if (i >= 0 && b[i] == '\n') {
            i--;
          }
          while (lines > 0 && end > 0) {
            while (i >= 0 && b[i] != '\n') {
              i--;
            }
            end = i + 1;
            i--;
            lines--;
          }
        }
        return ctx.stdout().write(Arrays.copyOf(b, end));
      });
    }
  }
}
