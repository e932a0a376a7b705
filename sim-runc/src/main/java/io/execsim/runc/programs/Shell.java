package io.execsim.runc.programs;

import io.execsim.core.error.GoError;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code sh}: busybox ash, as far as people use it after {@code kubectl exec ... --}. It runs
 * {@code sh -c 'script' [arg0 [arg...]]}, {@code sh FILE [arg...]}, or reads the whole of stdin and runs that.
 *
 * <p>The language: words with single and double quotes and backslashes; {@code $NAME}, {@code ${NAME}} and its
 * {@code -=+?} forms, {@code $?}, {@code $$}, {@code $0}..{@code $9}, {@code $#}, {@code $@}, {@code $*}; field
 * splitting of unquoted expansions; {@code NAME=value} alone or before a command; {@code ;}, newlines,
 * {@code &&}, {@code ||}, {@code !} and pipelines; the redirections {@code < > >> >| N>&M N<&M N>&- &>}, with
 * {@code /dev/null}, {@code /dev/stdin}, {@code /dev/stdout} and {@code /dev/stderr} always there; comments. The
 * built-ins are {@code exit}, {@code echo}, {@code true}, {@code false}, {@code :}, {@code cd}, {@code export} and
 * {@code pwd}; every other command runs through {@link ProcessContext#spawn}, with the command's streams lent to
 * the child (the child does not close them). The options are {@code -c}, {@code -s} and {@code -e}; ash's other
 * option letters are accepted and change nothing.
 *
 * <p>Errors read as ash prints them ({@code sh: foo: not found} and status 127, {@code sh: can't create /x/f:
 * nonexistent directory}, {@code sh: syntax error: unterminated quoted string} and status 2, ...).
 */
public final class Shell implements Program {
  static final String NAME = "sh";
  /** ash's option letters that this shell accepts without acting on them. */
  private static final String IGNORED_OPTIONS = "abCfIilmnuvVxE";

  /** A shell program; it keeps no state between runs, so one instance serves every process. */
  public Shell() {
  }

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    List<String> args = ctx.args();
    String arg0 = args.isEmpty() ? NAME : args.get(0);
    boolean command = false;
    boolean stdinScript = false;
    boolean errexit = false;
    int i = 1;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      if (a.length() < 2 || a.charAt(0) != '-' && a.charAt(0) != '+') {
        break;
      }
      if (a.equals("--")) {
        i++;
        break;
      }
      for (char c : a.substring(1).toCharArray()) {
        if (c == 'c') {
          command = true;
        } else if (c == 's') {
          stdinScript = true;
        } else if (c == 'e') {
          errexit = a.charAt(0) == '-';
        } else if (c == 'o' && i + 1 < args.size()) {
          // TODO: "-o NAME" options (pipefail, noclobber, ...) are accepted and change nothing
          i++;
        } else if (IGNORED_OPTIONS.indexOf(c) < 0) {
          return fail(ctx, arg0, "illegal option " + a.charAt(0) + c, 2);
        }
      }
    }
    List<String> rest = args.subList(Math.min(i, args.size()), args.size());
    if (command) {
      if (rest.isEmpty()) {
        return fail(ctx, arg0, "-c requires an argument", 2);
      }
      // POSIX: the first argument after the script is $0, the rest $1...
      boolean named = rest.size() > 1;
      String name = named ? rest.get(1) : arg0;
      List<String> params = rest.subList(Math.min(2, rest.size()), rest.size());
      return new ShellInterpreter(ctx, name, named, errexit, params).run(rest.get(0));
    }
    if (!stdinScript && !rest.isEmpty()) {
      String file = rest.get(0);
      byte[] script;
      try {
        script = ctx.files().readFile(ctx.resolve(file));
      } catch (GoError e) {
        return fail(ctx, arg0, "can't open '" + file + "': " + Libbb.strerror(e), 127);
      }
      ShellInterpreter sh = new ShellInterpreter(ctx, file, true, errexit, rest.subList(1, rest.size()));
      return sh.run(new String(script, StandardCharsets.UTF_8));
    }
    // TODO: the whole of stdin is read before any of it runs, so "kubectl exec -it ... -- sh" shows no prompt and
    // runs nothing until end of input; the commands then find stdin at its end. Nor does a shell on a terminal
    // ignore ^C and ^\ as an interactive ash does
    ShellInterpreter sh = new ShellInterpreter(ctx, arg0, false, errexit, rest);
    return Streams.readAll(ctx.stdin(), Integer.MAX_VALUE - 8)
        .thenCompose(script -> sh.run(new String(script, StandardCharsets.UTF_8)));
  }

  private static CompletionStage<Integer> fail(ProcessContext ctx, String arg0, String message, int status) {
    return ctx.printErr(arg0 + ": " + message + "\n").thenApply(v -> status);
  }
}
