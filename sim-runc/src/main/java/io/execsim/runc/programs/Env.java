package io.execsim.runc.programs;

import io.execsim.core.process.LookPathError;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code env [-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]}: prints the environment, one {@code NAME=value}
 * per line (NUL-terminated with {@code -0}), after the changes asked for; or runs {@code PROG} in its place.
 */
final class Env implements Program {
  static final String NAME = "env";
  private static final String USAGE = "[-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]";

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    Getopt.Parsed opts;
    try {
      opts = Getopt.parse(ctx.args().subList(1, ctx.args().size()), "i0u:", false);
    } catch (Getopt.InvalidOption e) {
      return Libbb.error(ctx, NAME, e.getMessage()).thenCompose(v -> Libbb.usage(ctx, NAME, USAGE));
    }
    List<String> rest = opts.operands();
    boolean clear = opts.has('i');
    if (!rest.isEmpty() && rest.get(0).equals("-")) {
      clear = true;
      rest = rest.subList(1, rest.size());
    }
    List<String> env = clear ? new ArrayList<>() : new ArrayList<>(ctx.env());
    for (Getopt.Option o : opts.options()) {
      if (o.letter() == 'u') {
        env.removeIf(e -> e.equals(o.argument()) || e.startsWith(o.argument() + "="));
      }
    }
    int i = 0;
    for (; i < rest.size() && rest.get(i).contains("="); i++) {
      set(env, rest.get(i));
    }
    if (i < rest.size()) {
      return exec(ctx, env, rest.subList(i, rest.size()));
    }
    char end = opts.has('0') ? '\0' : '\n';
    StringBuilder out = new StringBuilder();
    env.forEach(e -> out.append(e).append(end));
    return Libbb.exitAfter(ctx, NAME, ctx.print(out.toString()), 0);
  }

  /** As {@code putenv}: replaces the entry of the same name in place, or appends. */
  private static void set(List<String> env, String entry) {
    String prefix = entry.substring(0, entry.indexOf('=') + 1);
    for (int k = 0; k < env.size(); k++) {
      if (env.get(k).startsWith(prefix)) {
        env.set(k, entry);
        return;
      }
    }
    env.add(entry);
  }

  private static CompletionStage<Integer> exec(ProcessContext ctx, List<String> env, List<String> argv) {
    return ctx.spawn(argv, env, ctx.cwd(), ctx.stdin(), ctx.stdout(), ctx.stderr()).handle((status, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(status.status());
      }
      Throwable t = Libbb.unwrap(e);
      if (!(t instanceof LookPathError)) {
        return CompletableFuture.<Integer>failedFuture(t);
      }
      // BB_EXECVP_or_die: "can't execute '%s'" with strerror, exit 127 for ENOENT and 126 otherwise
      boolean missing = ((LookPathError) t).reason() != LookPathError.Reason.PERMISSION_DENIED;
      String why = missing ? "No such file or directory" : "Permission denied";
      return Libbb.error(ctx, NAME, "can't execute '" + argv.get(0) + "': " + why).thenApply(v -> missing ? 127 : 126);
    }).thenCompose(s -> s);
  }
}
