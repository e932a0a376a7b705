package io.execsim.runc.programs;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.FileHandle;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.FileType;
import io.execsim.core.fs.OpenFlag;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.LookPathError;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Signal;
import io.execsim.runc.programs.ShellFds.Fd;
import io.execsim.runc.programs.ShellSyntax.AndOr;
import io.execsim.runc.programs.ShellSyntax.Assignment;
import io.execsim.runc.programs.ShellSyntax.Command;
import io.execsim.runc.programs.ShellSyntax.Literal;
import io.execsim.runc.programs.ShellSyntax.Param;
import io.execsim.runc.programs.ShellSyntax.ParamOp;
import io.execsim.runc.programs.ShellSyntax.Part;
import io.execsim.runc.programs.ShellSyntax.Pipeline;
import io.execsim.runc.programs.ShellSyntax.Redirect;
import io.execsim.runc.programs.ShellSyntax.RedirectOp;
import io.execsim.runc.programs.ShellSyntax.Word;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The running state of one {@code sh} process (variables, positional parameters, working directory, last status)
 * and the evaluator that runs parsed commands against it, chaining stages. Each command of a pipeline runs in a
 * copy of the state, as ash runs it in a forked subshell, so {@code exit} or {@code cd} there stays there.
 *
 * <p>Errors are printed as ash's {@code ash_vmsg} prints them: {@code sh: }, then for a script with a name (the
 * argument after {@code -c 'script'}, or a script file) or inside a built-in the command's name and
 * {@code line N: }, then the message.
 */
final class ShellInterpreter {
  // TODO: ash's other built-ins (set, read, unset, shift, exec, trap, ...) are looked up as programs, so scripts
  // that use them fail with "not found"
  private static final Set<String> BUILTINS = Set.of(":", "[", "cd", "echo", "exit", "export", "false", "pwd", "test",
      "true");
  /** Built-ins whose errors end a non-interactive shell and whose prefix assignments stay. */
  private static final Set<String> SPECIAL = Set.of(":", "exit", "export");
  private static final String DEFAULT_IFS = " \t\n";

  private final ProcessContext ctx;
  private final String arg0;
  private final boolean named;
  private final boolean errexit;
  private final Map<String, String> vars;
  private final Set<String> exported;
  private final List<String> positional;
  private String cwd;
  private int status;
  private boolean exiting;
  private int line;

  /**
   * A shell of process {@code ctx} whose {@code $0} is {@code arg0}; {@code named} when the script has a name of
   * its own (errors then name the line), {@code errexit} for {@code -e}.
   */
  ShellInterpreter(ProcessContext ctx, String arg0, boolean named, boolean errexit, List<String> positional) {
    this.ctx = ctx;
    this.arg0 = arg0;
    this.named = named;
    this.errexit = errexit;
    this.vars = new LinkedHashMap<>();
    this.exported = new LinkedHashSet<>();
    this.positional = List.copyOf(positional);
    this.cwd = ctx.cwd();
    for (String e : ctx.env()) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        vars.put(e.substring(0, eq), e.substring(eq + 1));
        exported.add(e.substring(0, eq));
      }
    }
    vars.put("PWD", cwd);
    exported.add("PWD");
  }

  private ShellInterpreter(ShellInterpreter parent) {
    this.ctx = parent.ctx;
    this.arg0 = parent.arg0;
    this.named = parent.named;
    this.errexit = parent.errexit;
    this.vars = new LinkedHashMap<>(parent.vars);
    this.exported = new LinkedHashSet<>(parent.exported);
    this.positional = parent.positional;
    this.cwd = parent.cwd;
    this.status = parent.status;
    this.line = parent.line;
  }

  /**
   * An error ash raises while running a command; the message is ash's. A {@code fatal} one (an expansion error)
   * ends a non-interactive shell; a failed redirection ends it only for a special built-in.
   */
  private static final class ShellError extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean fatal;

    ShellError(String message, boolean fatal) {
      super(message, null, false, false);
      this.fatal = fatal;
    }
  }

  /** Runs {@code script} line by line, as ash reads it; the stage yields the shell's exit status. */
  CompletionStage<Integer> run(String script) {
    ShellParser parser = new ShellParser(script);
    ShellFds fds = ShellFds.standard(ctx);
    return AsyncLoop.repeat(() -> {
      if (exiting) {
        return CompletableFuture.completedFuture(false);
      }
      Optional<List<AndOr>> next;
      try {
        next = parser.nextLine();
      } catch (ShellParser.SyntaxError e) {
        // a syntax error ends a non-interactive shell with status 2
        line = e.line();
        exiting = true;
        status = 2;
        return report(fds, null, "syntax error: " + e.getMessage()).thenApply(v -> false);
      }
      if (next.isEmpty()) {
        return CompletableFuture.completedFuture(false);
      }
      return list(next.get(), fds).thenApply(v -> !exiting);
    }).thenApply(v -> status);
  }

  private CompletionStage<Void> list(List<AndOr> items, ShellFds fds) {
    int[] next = {0};
    return AsyncLoop.repeat(() -> {
      if (exiting || next[0] == items.size()) {
        return CompletableFuture.completedFuture(false);
      }
      return andOr(items.get(next[0]++), fds).thenApply(v -> true);
    });
  }

  private CompletionStage<Void> andOr(AndOr a, ShellFds fds) {
    List<Pipeline> pipelines = new ArrayList<>();
    pipelines.add(a.first());
    a.rest().forEach(l -> pipelines.add(l.pipeline()));
    int[] next = {0};
    int[] ran = {-1};
    return AsyncLoop.repeat(() -> {
      int i = next[0]++;
      if (exiting || i == pipelines.size()) {
        return CompletableFuture.completedFuture(false);
      }
      if (i > 0 && a.rest().get(i - 1).and() != (status == 0)) {
        return CompletableFuture.completedFuture(true);
      }
      ran[0] = i;
      return pipeline(pipelines.get(i), fds).thenApply(v -> true);
    }).thenRun(() -> {
      // -e: a failure ends the shell unless it came from the left of && or ||, or from a negated pipeline
      int last = pipelines.size() - 1;
      if (errexit && status != 0 && ran[0] == last && !pipelines.get(last).negated()) {
        exiting = true;
      }
    });
  }

  private CompletionStage<Void> pipeline(Pipeline p, ShellFds fds) {
    CompletionStage<Integer> run = p.commands().size() == 1 ? command(p.commands().get(0), fds) : pipe(p, fds);
    return run.thenAccept(s -> status = p.negated() ? (s == 0 ? 1 : 0) : s);
  }

  /** Runs the commands of a pipeline at once, joined by pipes; yields the status of the last one. */
  private CompletionStage<Integer> pipe(Pipeline p, ShellFds fds) {
    List<CompletableFuture<Integer>> stages = new ArrayList<>();
    ByteSource reader = null;
    for (int i = 0; i < p.commands().size(); i++) {
      boolean last = i == p.commands().size() - 1;
      Pipe pipe = last ? null : ctx.newPipe();
      ByteSink writer = pipe == null ? null : pipe.openWriter();
      ShellFds f = fds.copy();
      if (reader != null) {
        f.set(0, Fd.reading(reader));
      }
      if (writer != null) {
        f.set(1, Fd.writing(writer));
      }
      ByteSource in = reader;
      CompletableFuture<Integer> s = new ShellInterpreter(this).command(p.commands().get(i), f)
          .handle((code, e) -> {
            if (e == null) {
              return CompletableFuture.completedFuture(code);
            }
            // a built-in in the pipeline is a subshell of its own: a broken pipe kills just that one
            return Libbb.isBrokenPipe(e)
                ? CompletableFuture.completedFuture(ExitStatus.killed(Signal.SIGPIPE).status())
                : CompletableFuture.<Integer>failedFuture(Libbb.unwrap(e));
          }).thenCompose(x -> x).toCompletableFuture();
      s.whenComplete((code, e) -> {
        if (in != null) {
          in.close();
        }
        if (writer != null) {
          writer.close();
        }
      });
      stages.add(s);
      reader = pipe == null ? null : pipe.openReader();
    }
    CompletableFuture<Integer> lastStage = stages.get(stages.size() - 1);
    return CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0])).thenApply(v -> lastStage.join());
  }

  private CompletionStage<Integer> command(Command c, ShellFds fds) {
    line = c.line();
    List<String> argv;
    try {
      argv = fields(c.words());
    } catch (ShellError e) {
      exiting = true;
      return report(fds, null, e.getMessage()).thenApply(v -> 2);
    }
    boolean special = !argv.isEmpty() && SPECIAL.contains(argv.get(0));
    ShellFds local = fds.copy();
    List<FileHandle> opened = new ArrayList<>();
    Map<String, String> prefix = new LinkedHashMap<>();
    try {
      // ash redirects first, then expands the assignments; they stay only alone or before a special built-in
      for (Redirect r : c.redirects()) {
        redirect(r, local, opened);
      }
      for (Assignment a : c.assignments()) {
        String value = string(a.value());
        if (argv.isEmpty() || special) {
          setVar(a.name(), value);
        } else {
          prefix.put(a.name(), value);
        }
      }
    } catch (ShellError e) {
      opened.forEach(FileHandle::close);
      exiting |= special || e.fatal;
      return report(local, null, e.getMessage()).thenApply(v -> 2);
    }
    CompletionStage<Integer> run;
    if (argv.isEmpty()) {
      run = CompletableFuture.completedFuture(0);
    } else if (BUILTINS.contains(argv.get(0))) {
      run = builtin(argv, local);
    } else {
      run = spawn(argv, childEnv(prefix), local);
    }
    return run.whenComplete((s, e) -> opened.forEach(FileHandle::close));
  }

  /** The environment a program gets: the exported variables, then the command's own assignments. */
  private List<String> childEnv(Map<String, String> prefix) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : exported) {
      String value = vars.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(prefix);
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private CompletionStage<Integer> spawn(List<String> argv, List<String> env, ShellFds fds) {
    CompletionStage<ExitStatus> child;
    try {
      child = ctx.spawn(argv, env, cwd, fds.in(0), fds.out(1), fds.out(2));
    } catch (GoError e) {
      child = CompletableFuture.failedFuture(e);
    }
    return child.handle((exit, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(exit.status());
      }
      Throwable t = Libbb.unwrap(e);
      if (!(t instanceof LookPathError)) {
        return CompletableFuture.<Integer>failedFuture(t);
      }
      // shellexec: ENOENT is "not found" and 127, any other errno its strerror text and 126
      boolean denied = ((LookPathError) t).reason() == LookPathError.Reason.PERMISSION_DENIED;
      String message = argv.get(0) + ": " + (denied ? Libbb.strerror(Errno.EACCES) : "not found");
      return report(fds, null, message).thenApply(v -> denied ? 126 : 127);
    }).thenCompose(x -> x);
  }

  // ---- built-ins

  private CompletionStage<Integer> builtin(List<String> argv, ShellFds fds) {
    List<String> args = argv.subList(1, argv.size());
    return switch (argv.get(0)) {
      case "false" -> CompletableFuture.completedFuture(1);
      case "echo" -> output(fds, Echo.render(args));
      case "pwd" -> output(fds, (cwd + "\n").getBytes(StandardCharsets.UTF_8));
      case "cd" -> cd(args, fds);
      case "export" -> export(args, fds);
      case "exit" -> exit(args, fds);
      case TestApplet.NAME, TestApplet.BRACKET_NAME -> test(argv, fds);
      default -> CompletableFuture.completedFuture(0);
    };
  }

  /** Writes a built-in's output; a failed write is reported by libbb under the shell's applet name. */
  private CompletionStage<Integer> output(ShellFds fds, byte[] data) {
    return fds.out(1).write(data).handle((v, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(0);
      }
      if (Libbb.isBrokenPipe(e)) {
        return CompletableFuture.<Integer>failedFuture(Libbb.unwrap(e));
      }
      // inferred: echo's bb_perror_msg runs inside ash, whose applet name is "sh"
      String text = appletName() + ": write error: " + Libbb.strerror(e) + "\n";
      return fds.out(2).write(text.getBytes(StandardCharsets.UTF_8)).thenApply(x -> 1);
    }).thenCompose(x -> x);
  }

  /** ash's {@code test} and {@code [}: busybox's test_main, whose errors carry the shell's applet name. */
  private CompletionStage<Integer> test(List<String> argv, ShellFds fds) {
    TestApplet.Result r = TestApplet.evaluate(argv.subList(1, argv.size()),
        argv.get(0).equals(TestApplet.BRACKET_NAME), TestApplet.Caller.of(ctx, cwd));
    if (r.error().isEmpty()) {
      return CompletableFuture.completedFuture(r.status());
    }
    String text = appletName() + ": " + r.error().get() + "\n";
    return fds.out(2).write(text.getBytes(StandardCharsets.UTF_8)).handle((v, e) -> r.status());
  }

  /** The name libbb's messages start with: the base name the shell was started under. */
  private String appletName() {
    return Paths.base(ctx.args().isEmpty() ? Shell.NAME : ctx.args().get(0));
  }

  private CompletionStage<Integer> exit(List<String> args, ShellFds fds) {
    exiting = true;
    if (args.isEmpty()) {
      return CompletableFuture.completedFuture(status);
    }
    String n = args.get(0);
    if (!n.matches("[0-9]+")) {
      return report(fds, "exit", "Illegal number: " + n).thenApply(v -> 2);
    }
    long value;
    try {
      value = Long.parseLong(n);
    } catch (NumberFormatException tooBig) {
      value = Long.MAX_VALUE;
    }
    return CompletableFuture.completedFuture((int) value & 0xff);
  }

  private CompletionStage<Integer> cd(List<String> args, ShellFds fds) {
    String dest = args.isEmpty() ? vars.getOrDefault("HOME", "") : args.get(0);
    boolean print = dest.equals("-");
    if (print) {
      dest = vars.getOrDefault("OLDPWD", "");
    }
    String path = Paths.resolve(cwd, dest.isEmpty() ? "." : dest);
    try {
      if (!ctx.files().stat(path).isDirectory()) {
        throw new PathError("chdir", dest, Errno.ENOTDIR);
      }
    } catch (GoError e) {
      return report(fds, "cd", "can't cd to " + dest + ": " + Libbb.strerror(e)).thenApply(v -> 2);
    }
    vars.put("OLDPWD", cwd);
    cwd = path;
    vars.put("PWD", path);
    return print ? output(fds, (path + "\n").getBytes(StandardCharsets.UTF_8)) : CompletableFuture.completedFuture(0);
  }

  private CompletionStage<Integer> export(List<String> args, ShellFds fds) {
    List<String> names = args.stream().filter(a -> !a.equals("-p") && !a.equals("-n")).toList();
    if (names.isEmpty()) {
      StringBuilder out = new StringBuilder();
      exported.stream().sorted().forEach(n -> {
        out.append("export ").append(n);
        if (vars.containsKey(n)) {
          out.append('=').append(singleQuote(vars.get(n)));
        }
        out.append('\n');
      });
      return output(fds, out.toString().getBytes(StandardCharsets.UTF_8));
    }
    for (String a : names) {
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      if (!ShellParser.isName(name)) {
        exiting = true;
        return report(fds, "export", name + ": bad variable name").thenApply(v -> 2);
      }
      if (eq >= 0) {
        vars.put(name, a.substring(eq + 1));
      }
      exported.add(name);
    }
    return CompletableFuture.completedFuture(0);
  }

  /** {@code s} in single quotes as ash's {@code single_quote} writes it: a run of {@code '} goes in double quotes. */
  private static String singleQuote(String s) {
    return "'" + s.replaceAll("'+", "'\"$0\"'") + "'";
  }

  // ---- redirections

  private void redirect(Redirect r, ShellFds fds, List<FileHandle> opened) throws ShellError {
    String target = string(r.target());
    switch (r.op()) {
      case READ -> fds.set(r.fd(), Fd.reading(openRead(target, fds)));
      case WRITE, APPEND -> fds.set(r.fd(), Fd.writing(openWrite(target, r.op() == RedirectOp.APPEND, fds, opened)));
      case WRITE_BOTH -> both(target, fds, opened);
      case DUP_OUT, DUP_IN -> {
        if (target.equals("-")) {
          fds.close(r.fd());
        } else if (target.matches("[0-9]+")) {
          int from = Integer.parseInt(target);
          // dup2_or_raise: ash_msg_and_raise_perror("%d", from)
          Fd f = fds.get(from).orElseThrow(() -> new ShellError(from + ": " + Libbb.strerror(Errno.EBADF), false));
          fds.set(r.fd(), f);
        } else if (r.op() == RedirectOp.DUP_OUT && r.fd() == 1) {
          // bash's ">&file", which ash takes as "&>file"
          both(target, fds, opened);
        } else {
          throw new ShellError("redir error", true);
        }
      }
      default -> throw new IllegalStateException("unknown redirection: " + r.op());
    }
  }

  private void both(String target, ShellFds fds, List<FileHandle> opened) throws ShellError {
    Fd out = Fd.writing(openWrite(target, false, fds, opened));
    fds.set(1, out);
    fds.set(2, out);
  }

  /** The device files a container always has, whether or not its image holds them. */
  private static Optional<Integer> device(String path) {
    return switch (path) {
      case "/dev/stdin" -> Optional.of(0);
      case "/dev/stdout" -> Optional.of(1);
      case "/dev/stderr" -> Optional.of(2);
      default -> Optional.empty();
    };
  }

  private ByteSource openRead(String target, ShellFds fds) throws ShellError {
    String path = Paths.resolve(cwd, target);
    if (path.equals("/dev/null")) {
      return Streams.empty();
    }
    if (device(path).isPresent()) {
      return fds.in(device(path).get());
    }
    try {
      FileInfo info = ctx.files().stat(path);
      if (info.isDirectory()) {
        return new Libbb.FailingStream(Errno.EISDIR);
      }
      if (info.type() == FileType.FIFO) {
        // as in Libbb.openInput: the container's view cannot open FIFOs
        throw new PathError("open", target, Errno.ENXIO);
      }
      return Streams.of(ctx.files().readFile(path));
    } catch (PathError e) {
      throw new ShellError("can't open " + target + ": " + errmsg(e.errno(), "no such file"), false);
    }
  }

  private ByteSink openWrite(String target, boolean append, ShellFds fds, List<FileHandle> opened)
      throws ShellError {
    String path = Paths.resolve(cwd, target);
    if (path.equals("/dev/null")) {
      return Streams.discard();
    }
    if (device(path).isPresent()) {
      return fds.out(device(path).get());
    }
    Set<OpenFlag> flags = EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, append ? OpenFlag.APPEND : OpenFlag.TRUNCATE);
    try {
      // the container's view cannot open FIFOs (see Libbb.openInput)
      if (ctx.files().exists(path) && ctx.files().stat(path).type() == FileType.FIFO) {
        throw new PathError("open", target, Errno.ENXIO);
      }
      // 0666 less the default umask 022
      FileHandle h = ctx.files().open(path, flags, 0644);
      opened.add(h);
      return new ShellFds.FileSink(h);
    } catch (PathError e) {
      throw new ShellError("can't create " + target + ": " + errmsg(e.errno(), "nonexistent directory"), false);
    }
  }

  /** ash's {@code errmsg}: its own words for a missing file or directory, else libc's text. */
  private static String errmsg(Errno e, String missing) {
    return e == Errno.ENOENT || e == Errno.ENOTDIR ? missing : Libbb.strerror(e);
  }

  // ---- expansion

  /** The fields of {@code words}: parameters expanded, quotes removed, unquoted expansions split on IFS. */
  private List<String> fields(List<Word> words) throws ShellError {
    // TODO: no pathname expansion: an unquoted *, ? or [ reaches the command as it is written
    Fields f = new Fields(vars.getOrDefault("IFS", DEFAULT_IFS));
    for (Word w : words) {
      for (Part p : w.parts()) {
        if (p instanceof Literal lit) {
          f.literal(lit.text(), lit.quoted());
        } else {
          param((Param) p, f);
        }
      }
      f.endWord();
    }
    return f.out;
  }

  private void param(Param p, Fields f) throws ShellError {
    if (p.name().equals("@") && p.op() == ParamOp.VALUE) {
      // "$@" gives one field per parameter, joined to the text around it at both ends
      for (int i = 0; i < positional.size(); i++) {
        if (i > 0 && (p.quoted() || f.started)) {
          f.boundary();
        }
        f.text(positional.get(i), p.quoted());
      }
      return;
    }
    boolean choice = p.op() == ParamOp.DEFAULT || p.op() == ParamOp.ALTERNATE;
    if (choice && !p.quoted() && usesArgument(p)) {
      // the word of an unquoted ${x:-word} keeps its own quoting: 'a  b' in it stays one field
      for (Part q : p.argument().parts()) {
        if (q instanceof Literal lit) {
          f.text(lit.text(), lit.quoted());
        } else {
          param((Param) q, f);
        }
      }
      return;
    }
    f.text(value(p), p.quoted());
  }

  /** Whether {@code ${x-word}} or {@code ${x+word}} expands to its word. */
  private boolean usesArgument(Param p) {
    Optional<String> v = lookup(p.name());
    boolean unset = v.isEmpty() || p.nullIsUnset() && v.get().isEmpty();
    return p.op() == ParamOp.DEFAULT ? unset : !unset;
  }

  /** {@code w} expanded to one string, without field splitting, as assignments and redirections take it. */
  private String string(Word w) throws ShellError {
    StringBuilder b = new StringBuilder();
    for (Part p : w.parts()) {
      b.append(p instanceof Literal lit ? lit.text() : value((Param) p));
    }
    return b.toString();
  }

  private String value(Param p) throws ShellError {
    Optional<String> v = lookup(p.name());
    boolean unset = v.isEmpty() || p.nullIsUnset() && v.get().isEmpty();
    switch (p.op()) {
      case LENGTH -> {
        return Integer.toString(v.orElse("").length());
      }
      case DEFAULT -> {
        return unset ? string(p.argument()) : v.get();
      }
      case ASSIGN -> {
        if (!unset) {
          return v.get();
        }
        String value = string(p.argument());
        setVar(p.name(), value);
        return value;
      }
      case ALTERNATE -> {
        return unset ? "" : string(p.argument());
      }
      case ERROR -> {
        if (!unset) {
          return v.get();
        }
        // varunset: the word as the message, or "parameter not set" (" or null" for the colon form)
        String message = p.argument().parts().isEmpty()
            ? "parameter not set" + (p.nullIsUnset() ? " or null" : "")
            : string(p.argument());
        throw new ShellError(p.name() + ": " + message, true);
      }
      default -> {
        return v.orElse("");
      }
    }
  }

  private Optional<String> lookup(String name) {
    switch (name) {
      case "?" -> {
        return Optional.of(Integer.toString(status));
      }
      case "$" -> {
        return Optional.of(Integer.toString(ctx.pid()));
      }
      case "#" -> {
        return Optional.of(Integer.toString(positional.size()));
      }
      case "@", "*" -> {
        return Optional.of(String.join(" ", positional));
      }
      case "-" -> {
        return Optional.of(errexit ? "e" : "");
      }
      case "!" -> {
        return Optional.empty();
      }
      case "0" -> {
        return Optional.of(arg0);
      }
      default -> {
        if (Character.isDigit(name.charAt(0))) {
          int i = name.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(name);
          return i <= positional.size() ? Optional.of(positional.get(i - 1)) : Optional.empty();
        }
        return Optional.ofNullable(vars.get(name));
      }
    }
  }

  private void setVar(String name, String value) throws ShellError {
    if (!ShellParser.isName(name)) {
      // setvar's check, reached by "${1=x}" and the like
      throw new ShellError(name + ": bad variable name", true);
    }
    vars.put(name, value);
  }

  /** Builds fields as a word's parts come in. */
  private static final class Fields {
    private final String ifs;
    private final List<String> out = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private boolean started;
    private boolean endedByBlank;

    Fields(String ifs) {
      this.ifs = ifs;
    }

    /** Adds text of the script itself, which is never split. */
    void literal(String s, boolean quoted) {
      current.append(s);
      started |= quoted || !s.isEmpty();
      endedByBlank = false;
    }

    /** Adds the value of an expansion; unquoted, it is split on IFS characters. */
    void text(String s, boolean quoted) {
      if (quoted) {
        current.append(s);
        started = true;
        endedByBlank = false;
        return;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (ifs.indexOf(c) < 0) {
          current.append(c);
          started = true;
          endedByBlank = false;
        } else if (c == ' ' || c == '\t' || c == '\n') {
          if (started) {
            boundary();
            endedByBlank = true;
          }
        } else {
          // a non-blank IFS character ends a field even when it is empty, unless blanks just ended it
          if (!endedByBlank) {
            boundary();
          }
          endedByBlank = false;
        }
      }
    }

    /** Ends the current field, if there is one. */
    void boundary() {
      out.add(current.toString());
      current.setLength(0);
      started = false;
    }

    void endWord() {
      if (started) {
        boundary();
      }
      endedByBlank = false;
    }
  }

  /** Writes an error as {@code ash_vmsg} formats it, to descriptor 2. */
  private CompletionStage<Void> report(ShellFds fds, @Nullable String builtin, String message) {
    StringBuilder b = new StringBuilder(arg0).append(": ");
    String commandName = builtin != null ? builtin : named ? arg0 : null;
    if (commandName != null) {
      if (!commandName.equals(arg0)) {
        b.append(commandName).append(": ");
      }
      b.append("line ").append(line).append(": ");
    }
    b.append(message).append('\n');
    return fds.out(2).write(b.toString().getBytes(StandardCharsets.UTF_8));
  }
}
