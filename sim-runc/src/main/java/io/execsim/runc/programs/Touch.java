package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.fs.OpenFlag;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...}: creates each missing file empty (mode 0644, the
 * default umask applied) unless {@code -c}, and leaves existing ones as they are. A file that cannot be created is
 * reported as {@code touch: /x/y: No such file or directory} and the exit code becomes 1.
 */
final class Touch implements Program {
  static final String NAME = "touch";
  private static final String USAGE = "[-cham] [-d DATE] [-t DATE] [-r FILE] FILE...";

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    Getopt.Parsed opts;
    try {
      // TODO: the node's files keep no times, so -a, -m, -d, -t and -r change nothing
      opts = Getopt.parse(ctx.args().subList(1, ctx.args().size()), "chr:d:t:amf", true);
    } catch (Getopt.InvalidOption e) {
      return Libbb.error(ctx, NAME, e.getMessage()).thenCompose(v -> Libbb.usage(ctx, NAME, USAGE));
    }
    if (opts.operands().isEmpty()) {
      return Libbb.usage(ctx, NAME, USAGE);
    }
    StringBuilder errors = new StringBuilder();
    for (String file : opts.operands()) {
      String path = ctx.resolve(file);
      if (path.equals("/dev/null") || ctx.files().exists(path) || opts.has('c')) {
        continue;
      }
      try {
        ctx.files().open(path, EnumSet.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE), 0644).close();
      } catch (GoError e) {
        // bb_simple_perror_msg(*argv)
        errors.append(NAME).append(": ").append(file).append(": ").append(Libbb.strerror(e)).append('\n');
      }
    }
    if (errors.length() == 0) {
      return CompletableFuture.completedFuture(0);
    }
    return ctx.printErr(errors.toString()).thenApply(v -> 1);
  }
}
