package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSource;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code cat [FILE]...}: copies each file, or stdin for none or {@code -}, to stdout in reads of up to 64 KiB. A
 * file that cannot be opened is reported ({@code cat: can't open 'x': No such file or directory}) and skipped, and
 * the exit code becomes 1.
 */
final class Cat implements Program {
  static final String NAME = "cat";

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    Getopt.Parsed opts;
    try {
      // TODO: -n, -b, -v, -e, -t and -A are accepted but print the input unchanged
      opts = Getopt.parse(ctx.args().subList(1, ctx.args().size()), "etvAnbu", true);
    } catch (Getopt.InvalidOption e) {
      return Libbb.error(ctx, NAME, e.getMessage())
          .thenCompose(v -> Libbb.usage(ctx, NAME, "[-nbvteA] [FILE]..."));
    }
    List<String> files = opts.operands().isEmpty() ? List.of("-") : opts.operands();
    int[] next = {0};
    int[] code = {0};
    return AsyncLoop.repeat(() -> {
      if (next[0] == files.size()) {
        return CompletableFuture.completedFuture(false);
      }
      return one(ctx, files.get(next[0]++)).thenApply(c -> {
        code[0] |= c;
        return true;
      });
    }).thenApply(v -> code[0]);
  }

  private static CompletionStage<Integer> one(ProcessContext ctx, String file) {
    ByteSource in;
    try {
      in = Libbb.openInput(ctx, file);
    } catch (GoError e) {
      // libbb's open_or_warn: bb_perror_msg("can't open '%s'", path)
      return Libbb.die(ctx, NAME, "can't open '" + file + "': " + Libbb.strerror(e));
    }
    return Libbb.copyToStdout(ctx, NAME, in);
  }
}
