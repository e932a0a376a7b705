package io.execsim.runc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execsim.core.cli.App;
import io.execsim.core.cli.Command;
import io.execsim.core.cli.CommandLine;
import io.execsim.core.cli.Flag;
import io.execsim.core.cli.ParseResult;
import io.execsim.core.cli.Strconv;
import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.error.PathError;
import io.execsim.core.fault.RuncEffect;
import io.execsim.core.fs.FileHandle;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.OpenFlag;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.Pty;
import io.execsim.core.json.GoJsonEncoder;
import io.execsim.core.json.GoStructDecoder;
import io.execsim.core.node.Node;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.OciRuntime;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Program;
import io.execsim.core.process.Signal;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runc} binary of a node. It takes the command lines the shim gives it and answers as runc 1.1 does:
 * exit code 0 on success, 255 for a failed {@code exec} (1 for the other commands), and the error as a logrus line
 * in the {@code --log} file ({@code --log-format json}) or on standard error.
 *
 * <p>Command lines are read as urfave/cli v1.22 reads them for runc 1.1.5, with its flag tables: every flag the
 * real one takes is accepted (those without an effect here are said so where they are read), an unknown one prints
 * {@code Incorrect Usage: ...} and the command's help on stdout and fails with status 1, as does a wrong number of
 * arguments ({@code checkArgs}).
 *
 * <p>An exec whose spec asks for a terminal gets a new {@link Pty} as its stdin, stdout and stderr; with
 * {@code --detach} its master goes to the unix socket named by {@code --console-socket} on the node.
 *
 * <p>Container state lives in memory per {@code --root}, not in {@code state.json} files, so a full state directory
 * does not break it, as it does not break {@code runc exec} on a real node either.
 *
 * <p>Faults of the binary itself: each invocation can be made slower ({@link #setDelay}), and the next {@code exec}
 * can be made to fail on its pid file or its log ({@link #failNextExec}).
 */
public final class Runc implements OciRuntime {
  private static final Logger log = LoggerFactory.getLogger(Runc.class);
  private static final String DEFAULT_ROOT = "/run/runc";
  private static final long UINT32 = 0xFFFF_FFFFL;
  private static final String CONSOLE_SOCKET = "path to an AF_UNIX socket which will receive a file descriptor "
      + "referencing the master end of the console's pseudoterminal";
  private static final String PID_FILE = "specify the file to write the process id to";
  private static final String PRESERVE_FDS = "Pass N additional file descriptors to the container (stdio + "
      + "$LISTEN_FDS + N in total)";
  private static final String BUNDLE = "path to the root of the bundle directory, defaults to the current directory";
  private static final String NO_PIVOT = "do not use pivot root to jail process inside rootfs.  This should be used "
      + "whenever the rootfs is on top of a ramdisk";
  private static final String NO_NEW_KEYRING = "do not create a new session keyring for the container.  This will "
      + "cause the container to inherit the calling processes session key";
  private static final String NEW_CONTAINER_ARGS = "<container-id>\n"
      + "\n"
      + "Where \"<container-id>\" is your name for the instance of the container that you\n"
      + "are starting. The name you provide for the container instance must be unique on\n"
      + "your host.";
  private static final String BUNDLE_DESCRIPTION = "is a directory with a specification file named \"config.json\" "
      + "and a root\n"
      + "filesystem.\n"
      + "\n"
      + "The specification file includes an args parameter. The args parameter is used\n"
      + "to specify command(s) that get run when the container is started. To change the\n"
      + "command(s) that get executed on start, edit the args parameter of the spec. See\n"
      + "\"runc spec --help\" for more explanation.";
  /** The errnos of an injected file fault that open(2) raises; the others strike the write. */
  private static final Set<Errno> FAILS_OPEN = Set.of(Errno.EPERM, Errno.ENOENT, Errno.ENXIO, Errno.EACCES,
      Errno.EEXIST, Errno.ENOTDIR, Errno.EISDIR, Errno.EMFILE, Errno.EROFS);
  private static final ObjectMapper CONFIG_MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Node node;
  private final ProgramRegistry programs;
  private final Map<String, Container> containers = new HashMap<>();
  private final Map<ContainerProcess, Program> initPrograms = new HashMap<>();
  private final Map<RuncEffect.File, Errno> armed = new EnumMap<>(RuncEffect.File.class);
  private final Map<String, ContainerProcess> killedAtStart = new HashMap<>();
  private volatile Duration delay = Duration.ZERO;

  /** runc on {@code node}, running the programs of {@code programs}. */
  public Runc(Node node, ProgramRegistry programs) {
    this.node = node;
    this.programs = programs;
  }

  Node node() {
    return node;
  }

  /** The status of container {@code id} under state root {@code root}, if runc knows it. */
  public synchronized Optional<ContainerStatus> status(String root, String id) {
    return Optional.ofNullable(containers.get(key(root, id))).map(Container::status);
  }

  /**
   * Makes each invocation wait {@code delay} of the node's time before it does anything, as a slow binary would;
   * {@link Duration#ZERO} makes it act at once again. Invocations already waiting keep their delay.
   */
  public void setDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    this.delay = delay;
  }

  /**
   * Makes the next {@code runc exec} fail with {@code errno} on {@code file}, once; a second call for the other file
   * arms both for that exec. An errno that {@code open(2)} raises ({@code EACCES}, {@code EPERM}, {@code EROFS},
   * {@code ENOENT}, {@code ENOTDIR}, {@code EISDIR}, {@code EEXIST}, {@code ENXIO}, {@code EMFILE}) fails the open of
   * the file; any other ({@code ENOSPC}, {@code EIO}, ...) fails its write.
   *
   * <p>What each does, as runc 1.1 does it:
   * <ul>
   *   <li>{@link RuncEffect.File#PID_FILE}: runc has started the process when it writes the pid file
   *       ({@code .<name>} first, renamed after); it kills the process with {@code SIGKILL}, logs
   *       {@code exec failed: write <dir>/.<name>: <errno>} (or {@code open ...}) and exits 255. A failed write
   *       leaves the empty {@code .<name>} behind. The killed process is {@link #killedAtStart}.</li>
   *   <li>{@link RuncEffect.File#LOG}, failing the open: runc cannot set up its logging and exits 1 before it does
   *       anything, with the error on its stdout and as a log line on its stderr; {@code log.json} gets nothing.</li>
   *   <li>{@link RuncEffect.File#LOG}, failing the write: runc runs as ever; only an error it logs is lost (to its
   *       stderr), so an exec that works shows nothing.</li>
   * </ul>
   * An exec that fails before it gets to the file spends the fault all the same.
   */
  public synchronized void failNextExec(RuncEffect.File file, Errno errno) {
    armed.put(file, errno);
  }

  /** Takes back every {@link #failNextExec} that no exec has spent yet. */
  public synchronized void stopFailingExecs() {
    armed.clear();
  }

  /**
   * The exec process runc started for {@code pidFile} and killed at once because it could not write that pid file,
   * if there is one not asked for yet; asking forgets it.
   */
  public synchronized Optional<ProcessHandle> killedAtStart(String pidFile) {
    return Optional.ofNullable(killedAtStart.remove(pidFile));
  }

  @Override
  public CompletionStage<Integer> invoke(Invocation inv) {
    Duration wait = delay;
    if (wait.isZero()) {
      return act(inv);
    }
    // a slow binary: nothing happens, not even the log's opening, until the wait is over
    return node.scheduler().sleep(wait).thenCompose(v -> act(inv));
  }

  private CompletionStage<Integer> act(Invocation inv) {
    Globals g = new Globals();
    ParseResult parsed = Cli.APP.parse(inv.args(), inv.env());
    if (parsed instanceof ParseResult.Failed f) {
      // App.Run refuses the line before its Before set up the log, so logrus writes the error to stderr as text.
      // TODO: the app's help that urfave prints after the error is left out
      return usageError(inv, f.output(), f.error().text());
    }
    if (parsed instanceof ParseResult.HelpShown) {
      // TODO: runc -h prints the app's help; here it prints nothing
      closeStreams(inv);
      return CompletableFuture.completedFuture(0);
    }
    CommandLine global = ((ParseResult.Parsed) parsed).line();
    if (global.bool("version")) {
      // TODO: runc -v prints its version and its commit, spec, go and libseccomp versions; here it prints nothing
      closeStreams(inv);
      return CompletableFuture.completedFuture(0);
    }
    // --debug, --criu, --systemd-cgroup and --rootless are parsed and have no effect here
    g.root = global.string("root");
    g.log = global.string("log").isEmpty() ? null : global.string("log");
    String format = global.string("log-format");
    g.jsonLog = format.equals("json");
    List<String> args = global.args();
    String command = args.isEmpty() ? "" : args.get(0);
    List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
    Map<RuncEffect.File, Errno> faults = command.equals("exec") ? takeArmed() : Map.of();
    node.trace().record(Hop.RUNC, Phase.RUNC_STARTED, "runc " + String.join(" ", inv.args()));
    // main.go configLogrus, the app's Before: the log format is checked, then the log is opened
    if (!format.isEmpty() && !format.equals("text") && !format.equals("json")) {
      // TODO: the app's help that urfave prints after a failed Before is left out
      return usageError(inv, "invalid log-format: " + format + "\n\n", "invalid log-format: " + format);
    }
    if (g.log != null) {
      try {
        openLog(g, g.log, faults.get(RuncEffect.File.LOG));
      } catch (PathError e) {
        return failToSetUpLogging(inv, g, e);
      }
    }
    return switch (command) {
      case "exec" -> command(inv, g, Cli.EXEC, rest, line -> exec(inv, g, line, faults.get(RuncEffect.File.PID_FILE)));
      case "create" -> command(inv, g, Cli.CREATE, rest,
          line -> simple(inv, g, "runc create failed", () -> create(inv, g, line)));
      case "run" -> command(inv, g, Cli.RUN, rest, line -> run(inv, g, line));
      case "start" -> command(inv, g, Cli.START, rest, line -> simple(inv, g, "", () -> start(g, id(line.args()))));
      case "kill" -> command(inv, g, Cli.KILL, rest, line -> simple(inv, g, "", () -> kill(g, line)));
      case "pause" -> command(inv, g, Cli.PAUSE, rest,
          line -> simple(inv, g, "", () -> pause(g, id(line.args()), true)));
      case "resume" -> command(inv, g, Cli.RESUME, rest,
          line -> simple(inv, g, "", () -> pause(g, id(line.args()), false)));
      case "delete" -> command(inv, g, Cli.DELETE, rest, line -> simple(inv, g, "", () -> delete(g, line)));
      case "" -> {
        // TODO: runc without a command prints the app's help; here it prints nothing
        closeStreams(inv);
        yield CompletableFuture.completedFuture(0);
      }
      default -> fail(inv, g, "No help topic for '" + command + "'", 3);
    };
  }

  /**
   * urfave's {@code Command.Run} up to the action, then runc's {@code checkArgs} at the action's start: a usage
   * error prints on stdout and fails as any error of the command does, with status 1.
   */
  private CompletionStage<Integer> command(Invocation inv, Globals g, Cli command, List<String> args,
      Function<CommandLine, CompletionStage<Integer>> action) {
    ParseResult parsed = command.command().parse(args, inv.env());
    if (parsed instanceof ParseResult.HelpShown h) {
      inv.stdout().write(h.output().getBytes(StandardCharsets.UTF_8));
      closeStreams(inv);
      return CompletableFuture.completedFuture(0);
    }
    if (parsed instanceof ParseResult.Failed f) {
      inv.stdout().write(f.output().getBytes(StandardCharsets.UTF_8));
      return fail(inv, g, f.error().text(), 1);
    }
    CommandLine line = ((ParseResult.Parsed) parsed).line();
    String refused = command.checkArgs(line.args().size());
    if (!refused.isEmpty()) {
      inv.stdout().write(("Incorrect Usage.\n\n" + command.command().help()).getBytes(StandardCharsets.UTF_8));
      return fail(inv, g, refused, 1);
    }
    return action.apply(line);
  }

  /** A usage error before the log is set up: the text on stdout, the error as a logrus text line on stderr. */
  private CompletionStage<Integer> usageError(Invocation inv, String output, String message) {
    log.debug("runc refuses its command line: {}", message);
    node.trace().record(Hop.RUNC, Phase.RUNC_EXITED, "status=1 error=" + message);
    inv.stdout().write(output.getBytes(StandardCharsets.UTF_8));
    return inv.stderr().write(textLine(now(), message).getBytes(StandardCharsets.UTF_8)).handle((ok, e) -> {
      closeStreams(inv);
      return 1;
    });
  }

  // ---- exec

  private synchronized Map<RuncEffect.File, Errno> takeArmed() {
    Map<RuncEffect.File, Errno> taken = Map.copyOf(armed);
    armed.clear();
    return taken;
  }

  private CompletionStage<Integer> exec(Invocation inv, Globals g, CommandLine line, @Nullable Errno pidFileFault) {
    ExecFlags f = new ExecFlags(line);
    String id = line.arg(0);
    List<String> command = line.args().size() > 1 ? line.args().subList(1, line.args().size()) : List.of();
    ContainerProcess process;
    try {
      process = startExec(inv, g, f, id, command, pidFileFault);
    } catch (GoError e) {
      return fail(inv, g, "exec failed: " + e.text(), 255);
    }
    node.trace().record(Hop.RUNC, Phase.RUNC_EXITED, "exec " + id + " pid=" + process.pid() + " detached="
        + f.detach);
    if (f.detach) {
      return CompletableFuture.completedFuture(0);
    }
    return process.exit().thenApply(s -> s.status());
  }

  private ContainerProcess startExec(Invocation inv, Globals g, ExecFlags f, String id, List<String> command,
      @Nullable Errno pidFileFault) {
    if (id.isEmpty()) {
      throw GoError.of("container id cannot be empty");
    }
    Container c = find(g, id);
    ContainerStatus status = c.status();
    // runc exec.go: a stopped container refuses first, a paused one unless told to ignore it
    if (status == ContainerStatus.STOPPED) {
      throw GoError.of("cannot exec in a stopped container");
    }
    if (status == ContainerStatus.PAUSED && !f.ignorePaused) {
      throw GoError.of("cannot exec in a paused container (use --ignore-paused to override)");
    }
    if (f.process == null && command.isEmpty()) {
      throw GoError.of("process args cannot be empty");
    }
    ProcessSpec spec = f.process != null ? readProcessFile(f.process) : specFromFlags(c.process(), f, command);
    validate(spec);
    // runc utils_linux.go checkTerminal: detaching with a terminal needs a socket, and a socket needs both
    if (f.detach && spec.terminal() && f.consoleSocket == null) {
      throw GoError.of("cannot allocate tty if runc will detach without setting console socket");
    }
    if ((!f.detach || !spec.terminal()) && f.consoleSocket != null) {
      throw GoError.of("cannot use console socket if runc will not detach or allocate tty");
    }
    Pty pty = null;
    if (spec.terminal()) {
      if (f.consoleSocket == null) {
        // a foreground terminal is runc's own, and runc's stdin is none here (initHostConsole)
        throw new PathError("open", "/dev/tty", Errno.ENXIO);
      }
      // setupIO dials the socket; runc init's setupConsole then opens the pty and sends the master before the
      // program is looked up. Simplified: one step, which fails only as the dial fails.
      pty = Pty.open(node.scheduler(), consoleSize(spec));
      node.sockets().sendMaster(f.consoleSocket, pty);
    }
    Resolved r;
    ExecUser user;
    try {
      // runc init: the working directory, then the user, then the program's lookup
      chdir(c, spec.cwd());
      user = ExecUser.setUp(c.root(), spec);
      r = resolve(c, spec.cwd(), spec.env(), spec.args());
    } catch (GoError e) {
      throw GoError.wrap("unable to start container process", e);
    }
    int pid = node.processes().allocatePid();
    ContainerProcess.Streams3 stdio = pty == null
        ? new ContainerProcess.Streams3(inv.stdin(), inv.stdout(), inv.stderr())
        : new ContainerProcess.Streams3(pty.slaveInput(), pty.slaveOutput(), pty.slaveOutput());
    ContainerProcess p = new ContainerProcess(this, c, pid, r.argv(), user.env(), spec.cwd(), stdio, true, pty,
        user.credentials());
    if (pty != null) {
      // the process has the terminal; runc's own stdio ends with runc
      closeStreams(inv);
    }
    node.processes().add(p);
    if (f.pidFile != null) {
      try {
        writePidFile(f.pidFile, pid, pidFileFault);
      } catch (GoError e) {
        // utils_linux.go run: the process is started when the pid file is written; runc's terminate kills it and
        // waits for it. Simplified: it dies before its program gets to run, as seen on the reference machine.
        node.processes().reap(pid);
        p.signal(Signal.SIGKILL);
        synchronized (this) {
          killedAtStart.put(f.pidFile, p);
        }
        log.debug("exec {}: pid {} killed, its pid file failed: {}", id, pid, e.text());
        throw e;
      }
    }
    c.addExec(p);
    p.start(r.program());
    return p;
  }

  /** The pty's first size: {@code consoleSize} when both sides are set, as setupConsole resizes, else 0x0. */
  private static TerminalSize consoleSize(ProcessSpec spec) {
    ProcessSpec.Box box = spec.consoleSize();
    if (box == null || box.height() == 0 || box.width() == 0) {
      return new TerminalSize(0, 0);
    }
    return new TerminalSize(box.width(), box.height());
  }

  private ProcessSpec readProcessFile(String path) {
    byte[] data;
    try {
      data = node.fs().readFile(path);
    } catch (PathError e) {
      throw new PathError("open", path, e.errno());
    }
    return GoStructDecoder.decodeProcess(data);
  }

  /**
   * The process an exec without {@code -p} runs in a container whose process is {@code base}, given the exec's
   * flags and arguments {@code argv} ({@code [flags] <container-id> <command>...}); a usage error is an
   * {@link IllegalArgumentException}. For tests.
   */
  static ProcessSpec execSpec(ProcessSpec base, List<String> argv) {
    ParseResult parsed = Cli.EXEC.command().parse(argv, Map.of());
    if (!(parsed instanceof ParseResult.Parsed p)) {
      throw new IllegalArgumentException("not an exec's command line: " + argv);
    }
    List<String> args = p.line().args();
    return specFromFlags(base, new ExecFlags(p.line()), args.isEmpty() ? List.of() : args.subList(1, args.size()));
  }

  /**
   * exec.go {@code getProcess} without {@code -p}: the process {@code base} of the container with the command, and
   * the flags' working directory, capabilities, environment, terminal, no-new-privileges and user.
   * {@code --apparmor} and {@code --process-label} are parsed and ignored: the spec here has no such fields.
   */
  private static ProcessSpec specFromFlags(ProcessSpec base, ExecFlags f, List<String> command) {
    String cwd = f.cwd != null ? f.cwd : base.cwd();
    ProcessSpec.Capabilities caps = base.capabilities();
    if (!f.caps.isEmpty()) {
      // Simplified: a spec without capabilities gets them, where runc dereferences the missing object and panics
      ProcessSpec.Capabilities old = caps != null ? caps
          : new ProcessSpec.Capabilities(List.of(), List.of(), List.of(), List.of(), List.of());
      caps = new ProcessSpec.Capabilities(append(old.bounding(), f.caps), append(old.effective(), f.caps),
          old.inheritable(), append(old.permitted(), f.caps), append(old.ambient(), f.caps));
    }
    List<String> env = append(base.env(), f.env);
    // the terminal is off unless the flag says otherwise; no-new-privileges keeps the spec's unless given
    boolean terminal = f.ttySet && f.tty;
    boolean noNewPrivileges = f.noNewPrivsSet ? f.noNewPrivs : base.noNewPrivileges();
    long uid = base.user().uid();
    long gid = base.user().gid();
    if (!f.user.isEmpty()) {
      String[] u = f.user.split(":", 2);
      if (u.length > 1) {
        gid = parseId(u[1], "gid");
      }
      uid = parseId(u[0], "uid");
    }
    List<Long> gids = new ArrayList<>(base.user().additionalGids());
    for (long extra : f.additionalGids) {
      if (extra < 0) {
        throw GoError.of("additional-gids must be a positive number " + extra);
      }
      gids.add(extra & UINT32);
    }
    return new ProcessSpec(terminal, base.consoleSize(), new ProcessSpec.User(uid, gid, gids), command, env, cwd,
        caps, base.rlimits(), noNewPrivileges);
  }

  /** An id of {@code --user}, as {@code uint32(strconv.Atoi(text))}. */
  private static long parseId(String text, String what) {
    try {
      return Strconv.atoi(text) & UINT32;
    } catch (Strconv.NumError e) {
      throw GoError.wrap("parsing " + text + " as int for " + what + " failed", e);
    }
  }

  private static List<String> append(List<String> list, List<String> more) {
    List<String> out = new ArrayList<>(list);
    out.addAll(more);
    return out;
  }

  private static void validate(ProcessSpec spec) {
    // runc utils_linux.go validateProcessSpec, in its order
    if (spec.cwd().isEmpty()) {
      throw GoError.of("Cwd property must not be empty");
    }
    if (!spec.cwd().startsWith("/")) {
      throw GoError.of("Cwd must be an absolute path");
    }
    if (spec.args().isEmpty()) {
      throw GoError.of("args must not be empty");
    }
  }

  private static void chdir(Container c, String cwd) {
    FileInfo info;
    try {
      info = c.root().stat(cwd);
    } catch (PathError e) {
      throw chdirError(cwd, e.errno());
    }
    if (!info.isDirectory()) {
      throw chdirError(cwd, Errno.ENOTDIR);
    }
  }

  private static GoError chdirError(String cwd, Errno errno) {
    return GoError.of("chdir to cwd (" + GoText.quote(cwd) + ") set in config.json failed: " + errno.text());
  }

  /** utils_linux.go {@code createPidFile}: {@code .<name>} created exclusively, the pid written, then renamed. */
  private void writePidFile(String path, int pid, @Nullable Errno fault) {
    String tmp = Paths.join(Paths.parent(Paths.clean(path)), "." + Paths.base(Paths.clean(path)));
    if (fault != null && FAILS_OPEN.contains(fault)) {
      throw injected("open", tmp, fault);
    }
    try (FileHandle h = node.fs().open(tmp,
        EnumSet.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE), 0666)) {
      if (fault != null) {
        throw injected("write", tmp, fault);
      }
      h.write(Integer.toString(pid).getBytes(StandardCharsets.US_ASCII));
    }
    node.fs().rename(tmp, path);
  }

  private PathError injected(String op, String path, Errno errno) {
    node.trace().record(Hop.RUNC, Phase.FAULT_FIRED, op + " " + path + " fails with " + errno.name());
    return new PathError(op, path, errno);
  }

  /** The program behind {@code argv[0]} in container {@code c}, and the argument vector it runs with. */
  Resolved resolve(Container c, String cwd, List<String> env, List<String> argv) {
    String path = Executables.lookPath(c.root(), cwd, argv.get(0),
        ProcessSpec.envValue(env, "PATH"));
    byte[] contents = c.root().readFile(Paths.resolve(cwd, path));
    Optional<String> name = ProgramRegistry.programOf(contents);
    if (name.isPresent()) {
      Program p = programs.get(name.get()).orElseThrow(() -> new PathError("exec", path, Errno.ENOEXEC));
      return new Resolved(p, argv);
    }
    String text = new String(contents, 0, Math.min(contents.length, 256), StandardCharsets.UTF_8);
    if (text.startsWith("#!")) {
      String line = text.substring(2).split("\n", 2)[0].strip();
      String[] parts = line.split("\\s+", 2);
      List<String> interpreted = new ArrayList<>();
      interpreted.add(parts[0]);
      if (parts.length > 1) {
        interpreted.add(parts[1]);
      }
      interpreted.add(path);
      interpreted.addAll(argv.subList(1, argv.size()));
      byte[] interp;
      try {
        interp = c.root().readFile(parts[0]);
      } catch (PathError e) {
        throw new PathError("exec", path, e.errno());
      }
      Program p = ProgramRegistry.programOf(interp).flatMap(programs::get)
          .orElseThrow(() -> new PathError("exec", path, Errno.ENOEXEC));
      return new Resolved(p, interpreted);
    }
    throw new PathError("exec", path, Errno.ENOEXEC);
  }

  /** A program and the argument vector it runs with. */
  record Resolved(Program program, List<String> argv) {
  }

  // ---- the other commands

  /** A command that fails with its error, prefixed as runc's action wraps it ({@code runc create failed}) if at all. */
  private CompletionStage<Integer> simple(Invocation inv, Globals g, String prefix, Runnable action) {
    try {
      action.run();
    } catch (GoError e) {
      return fail(inv, g, prefix.isEmpty() ? e.text() : prefix + ": " + e.text(), 1);
    }
    closeStreams(inv);
    return CompletableFuture.completedFuture(0);
  }

  /** {@code run}: {@code create} and {@code start} in one; without {@code --detach} it waits for the init's exit. */
  private CompletionStage<Integer> run(Invocation inv, Globals g, CommandLine line) {
    // --keep and --no-subreaper are parsed and have no effect here, nor have create's flags beside the bundle and
    // the pid file
    boolean detach = line.bool("detach");
    if (detach) {
      return simple(inv, g, "runc run failed", () -> start(g, create(inv, g, line).id()));
    }
    Container c;
    try {
      c = create(inv, g, line);
      start(g, c.id());
    } catch (GoError e) {
      return fail(inv, g, "runc run failed: " + e.text(), 1);
    }
    // TODO: a foreground run neither forwards signals nor waits for the container's other processes
    return c.init().exit().thenApply(s -> s.status());
  }

  /**
   * {@code --console-socket}, {@code --no-pivot}, {@code --no-new-keyring} and {@code --preserve-fds} are parsed and
   * ignored.
   */
  private Container create(Invocation inv, Globals g, CommandLine line) {
    String bundle = line.string("bundle");
    String pidFile = line.string("pid-file");
    String id = line.arg(0);
    if (id.isEmpty()) {
      throw GoError.of("container id cannot be empty");
    }
    if (bundle.isEmpty()) {
      throw GoError.of("--bundle is required here");
    }
    synchronized (this) {
      if (containers.containsKey(key(g.root, id))) {
        throw GoError.of("container with given ID already exists");
      }
    }
    Config config = readConfig(bundle);
    Container c = new Container(id, bundle, node.fs().view(config.rootPath()), config.process());
    Resolved r;
    ExecUser user;
    try {
      chdir(c, config.process().cwd());
      user = ExecUser.setUp(c.root(), config.process());
      r = resolve(c, config.process().cwd(), config.process().env(), config.process().args());
    } catch (GoError e) {
      throw GoError.wrap("unable to start container process", e);
    }
    int pid = node.processes().allocatePid();
    ContainerProcess init = new ContainerProcess(this, c, pid, r.argv(), user.env(), config.process().cwd(),
        new ContainerProcess.Streams3(inv.stdin(), inv.stdout(), inv.stderr()), true, null, user.credentials());
    if (!pidFile.isEmpty()) {
      writePidFile(pidFile, pid, null);
    }
    c.setInit(init);
    initPrograms.put(init, r.program());
    synchronized (this) {
      containers.put(key(g.root, id), c);
    }
    node.processes().add(init);
    init.exit().thenRun(() -> stopped(c));
    return c;
  }

  private void start(Globals g, String id) {
    Container c = find(g, id);
    if (c.status() != ContainerStatus.CREATED) {
      throw GoError.of(c.status() == ContainerStatus.STOPPED
          ? "cannot start a container that has stopped" : "cannot start an already running container");
    }
    ContainerProcess init = c.init();
    c.setStatus(ContainerStatus.RUNNING);
    init.start(initPrograms.remove(init));
  }

  private void stopped(Container c) {
    c.setStatus(ContainerStatus.STOPPED);
    // the PID namespace goes with its init: the kernel kills every process left in it
    for (ContainerProcess p : c.execs()) {
      p.signal(Signal.SIGKILL);
    }
    log.debug("container {} stopped", c.id());
  }

  /** TODO: {@code --all} is parsed, and the signal still goes to the init only. */
  private void kill(Globals g, CommandLine line) {
    List<String> plain = line.args();
    if (plain.get(0).isEmpty()) {
      throw GoError.of("container id cannot be empty");
    }
    Container c = find(g, plain.get(0));
    Signal signal = plain.size() > 1 ? parseSignal(plain.get(1)) : Signal.SIGTERM;
    if (c.status() == ContainerStatus.STOPPED) {
      throw GoError.of("container not running");
    }
    ContainerProcess init = c.init();
    if (c.status() == ContainerStatus.CREATED) {
      initPrograms.remove(init);
    }
    init.signal(signal);
  }

  private static Signal parseSignal(String s) {
    String name = s.toUpperCase(java.util.Locale.ROOT);
    if (name.chars().allMatch(Character::isDigit)) {
      return Signal.of(Integer.parseInt(name));
    }
    try {
      return Signal.valueOf(name.startsWith("SIG") ? name : "SIG" + name);
    } catch (IllegalArgumentException e) {
      throw GoError.of("unknown signal " + GoText.quote(s));
    }
  }

  private void pause(Globals g, String id, boolean pause) {
    Container c = find(g, id);
    if (pause && c.status() != ContainerStatus.RUNNING) {
      throw GoError.of("container not running");
    }
    if (!pause && c.status() != ContainerStatus.PAUSED) {
      throw GoError.of("container not paused");
    }
    // the cgroup freezer: the container's processes stop where they stand until the resume
    if (pause) {
      c.freeze();
    } else {
      c.thaw();
    }
  }

  private void delete(Globals g, CommandLine line) {
    boolean force = line.bool("force");
    String id = id(line.args());
    Container c = find(g, id);
    if (c.status() != ContainerStatus.STOPPED && !force) {
      throw GoError.of("cannot delete container " + id + " that is not stopped: " + c.status().label());
    }
    if (c.status() != ContainerStatus.STOPPED) {
      c.init().signal(Signal.SIGKILL);
    }
    synchronized (this) {
      containers.remove(key(g.root, id));
    }
  }

  // ---- helpers

  private static String id(List<String> args) {
    if (args.isEmpty() || args.get(0).isEmpty()) {
      throw GoError.of("container id cannot be empty");
    }
    return args.get(0);
  }

  private synchronized Container find(Globals g, String id) {
    Container c = containers.get(key(g.root, id));
    if (c == null) {
      throw GoError.of("container does not exist");
    }
    return c;
  }

  private static String key(String root, String id) {
    return Paths.clean(root) + "\0" + id;
  }

  private Config readConfig(String bundle) {
    String path = Paths.join(bundle, "config.json");
    byte[] data = node.fs().readFile(path);
    try {
      JsonNode tree = CONFIG_MAPPER.readTree(data);
      String rootPath = tree.path("root").path("path").asText("rootfs");
      ProcessSpec process = GoStructDecoder.decodeProcess(CONFIG_MAPPER.writeValueAsBytes(tree.path("process")));
      return new Config(Paths.resolve(bundle, rootPath), process);
    } catch (IOException e) {
      throw GoError.of("unable to load config: " + e.getMessage());
    }
  }

  private record Config(String rootPath, ProcessSpec process) {
  }

  private CompletionStage<Integer> fail(Invocation inv, Globals g, String message, int code) {
    log.debug("runc fails with {}: {}", code, message);
    node.trace().record(Hop.RUNC, Phase.RUNC_EXITED, "status=" + code + " error=" + message);
    String time = now();
    if (g.log != null) {
      String stderr = "";
      try {
        writeLog(g.log, g.logFault, g.jsonLog ? jsonLine(time, message) : textLine(time, message));
      } catch (PathError e) {
        // logrus entry.go reports a line it could not write on stderr
        log.debug("runc could not write its log {}: {}", g.log, e.text());
        stderr = "Failed to write to log, " + e.text() + "\n";
      }
      // fatalWithCode: the log is not stderr, so the error goes to stderr as well. Nobody waits for it: the shim
      // reads runc's stderr only in a terminal exec, and a pipe's buffer takes it on a real node
      inv.stderr().write((stderr + message + "\n").getBytes(StandardCharsets.UTF_8));
      closeStreams(inv);
      return CompletableFuture.completedFuture(code);
    }
    return inv.stderr().write(textLine(time, message).getBytes(StandardCharsets.UTF_8))
        .handle((ok, e) -> {
          closeStreams(inv);
          return code;
        });
  }

  /**
   * main.go {@code configLogrus}: the log is opened for appending (created if need be) at start-up, after the log
   * format is chosen. A fault that open(2) raises fails it; any other fails each line written in this run.
   */
  private void openLog(Globals g, String path, @Nullable Errno fault) {
    if (fault != null && FAILS_OPEN.contains(fault)) {
      throw injected("open", path, fault);
    }
    node.fs().open(path, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.APPEND), 0644).close();
    g.logFault = fault;
  }

  /**
   * runc could not open its log: urfave/cli 1.22.1 prints the failed {@code Before}'s error and the help on stdout,
   * then main's {@code fatal} logs the error through logrus, whose output is still stderr, and exits 1.
   */
  private CompletionStage<Integer> failToSetUpLogging(Invocation inv, Globals g, PathError e) {
    log.debug("runc cannot open its log: {}", e.text());
    node.trace().record(Hop.RUNC, Phase.RUNC_EXITED, "status=1 error=" + e.text());
    String time = now();
    // TODO: the help text cli prints after the error is left out; only a terminal exec's error shows runc's
    // output, and only when the runtime log holds no error line
    inv.stdout().write((e.text() + "\n\n").getBytes(StandardCharsets.UTF_8));
    inv.stderr().write((g.jsonLog ? jsonLine(time, e.text()) : textLine(time, e.text()))
        .getBytes(StandardCharsets.UTF_8));
    closeStreams(inv);
    return CompletableFuture.completedFuture(1);
  }

  /** Appends one line to the log opened at start-up, in one write as logrus makes it. */
  private void writeLog(String path, @Nullable Errno fault, String line) {
    if (fault != null) {
      throw injected("write", path, fault);
    }
    try (FileHandle h = node.fs().open(path, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.APPEND), 0644)) {
      h.write(line.getBytes(StandardCharsets.UTF_8));
    }
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(node.scheduler().now().truncatedTo(ChronoUnit.SECONDS));
  }

  private static String jsonLine(String time, String message) {
    return "{\"level\":\"error\",\"msg\":" + GoJsonEncoder.quote(message) + ",\"time\":\"" + time + "\"}\n";
  }

  private static String textLine(String time, String message) {
    return "time=\"" + time + "\" level=error msg=" + GoText.quote(message) + "\n";
  }

  private static void closeStreams(Invocation inv) {
    inv.stdin().close();
    inv.stdout().close();
    inv.stderr().close();
  }

  /**
   * runc 1.1.5's command lines: the app's flags (main.go), and each simulated command's help texts and flags (its
   * file: exec.go, create.go, ...) with the argument count its action checks first (utils.go {@code checkArgs}).
   * Every flag real runc takes is accepted; the commands say which have no effect here.
   */
  private enum Cli {
    EXEC(Command.builder("runc exec")
        .usage("execute new process inside the container")
        .argsUsage("<container-id> <command> [command options]  || -p process.json <container-id>\n"
            + "\n"
            + "Where \"<container-id>\" is the name for the instance of the container and\n"
            + "\"<command>\" is the command to be executed in the container.\n"
            + "\"<command>\" can't be empty unless a \"-p\" flag provided.\n"
            + "\n"
            + "EXAMPLE:\n"
            + "For example, if the container is configured to run the linux ps command the\n"
            + "following will output a list of processes running in the container:\n"
            + "\n"
            + "       # runc exec <container-id> ps")
        .flags(List.of(
            Flag.string("console-socket", CONSOLE_SOCKET),
            Flag.string("cwd", "current working directory in the container"),
            Flag.stringSlice("env, e", "set environment variables"),
            Flag.bool("tty, t", "allocate a pseudo-TTY"),
            Flag.string("user, u", "UID (format: <uid>[:<gid>])"),
            Flag.int64Slice("additional-gids, g", "additional gids"),
            Flag.string("process, p", "path to the process.json"),
            Flag.bool("detach,d", "detach from the container's process"),
            Flag.string("pid-file", PID_FILE),
            Flag.string("process-label", "set the asm process label for the process commonly used with selinux"),
            Flag.string("apparmor", "set the apparmor profile for the process"),
            Flag.bool("no-new-privs", "set the no new privileges value for the process"),
            Flag.stringSlice("cap, c", "add a capability to the bounding set for the process"),
            Flag.integer("preserve-fds", PRESERVE_FDS),
            Flag.stringSlice("cgroup", "run the process in an (existing) sub-cgroup(s). Format is "
                + "[<controller>:]<cgroup>."),
            Flag.bool("ignore-paused", "allow exec in a paused container")))
        .skipArgReorder()
        .build(), 1, Integer.MAX_VALUE),
    CREATE(Command.builder("runc create")
        .usage("create a container")
        .argsUsage(NEW_CONTAINER_ARGS)
        .description("The create command creates an instance of a container for a bundle. The bundle\n"
            + BUNDLE_DESCRIPTION)
        .flags(List.of(
            Flag.string("bundle, b", BUNDLE),
            Flag.string("console-socket", CONSOLE_SOCKET),
            Flag.string("pid-file", PID_FILE),
            Flag.bool("no-pivot", NO_PIVOT),
            Flag.bool("no-new-keyring", NO_NEW_KEYRING),
            Flag.integer("preserve-fds", PRESERVE_FDS)))
        .build(), 1, 1),
    RUN(Command.builder("runc run")
        .usage("create and run a container")
        .argsUsage(NEW_CONTAINER_ARGS)
        .description("The run command creates an instance of a container for a bundle. The bundle\n"
            + BUNDLE_DESCRIPTION)
        .flags(List.of(
            Flag.string("bundle, b", BUNDLE),
            Flag.string("console-socket", CONSOLE_SOCKET),
            Flag.bool("detach, d", "detach from the container's process"),
            Flag.bool("keep", "do not delete the container after it exits"),
            Flag.string("pid-file", PID_FILE),
            Flag.bool("no-subreaper", "disable the use of the subreaper used to reap reparented processes"),
            Flag.bool("no-pivot", NO_PIVOT),
            Flag.bool("no-new-keyring", NO_NEW_KEYRING),
            Flag.integer("preserve-fds", PRESERVE_FDS)))
        .build(), 1, 1),
    START(Command.builder("runc start")
        .usage("executes the user defined process in a created container")
        .argsUsage(NEW_CONTAINER_ARGS)
        .description("The start command executes the user defined process in a created container.")
        .build(), 1, 1),
    KILL(Command.builder("runc kill")
        .usage("kill sends the specified signal (default: SIGTERM) to the container's init process")
        .argsUsage("<container-id> [signal]\n"
            + "\n"
            + "Where \"<container-id>\" is the name for the instance of the container and\n"
            + "\"[signal]\" is the signal to be sent to the init process.\n"
            + "\n"
            + "EXAMPLE:\n"
            + "For example, if the container id is \"ubuntu01\" the following will send a \"KILL\"\n"
            + "signal to the init process of the \"ubuntu01\" container:\n"
            + "\n"
            + "       # runc kill ubuntu01 KILL")
        .flags(List.of(Flag.bool("all, a", "send the specified signal to all processes inside the container")))
        .build(), 1, 2),
    DELETE(Command.builder("runc delete")
        .usage("delete any resources held by the container often used with detached container")
        .argsUsage("<container-id>\n"
            + "\n"
            + "Where \"<container-id>\" is the name for the instance of the container.\n"
            + "\n"
            + "EXAMPLE:\n"
            + "For example, if the container id is \"ubuntu01\" and runc list currently shows the\n"
            + "status of \"ubuntu01\" as \"stopped\" the following will delete resources held for\n"
            + "\"ubuntu01\" removing \"ubuntu01\" from the runc list of containers:\n"
            + "\n"
            + "       # runc delete ubuntu01")
        .flags(List.of(Flag.bool("force, f", "Forcibly deletes the container if it is still running (uses "
            + "SIGKILL)")))
        .build(), 1, 1),
    PAUSE(Command.builder("runc pause")
        .usage("pause suspends all processes inside the container")
        .argsUsage("<container-id>\n"
            + "\n"
            + "Where \"<container-id>\" is the name for the instance of the container to be\n"
            + "paused. ")
        .description("The pause command suspends all processes in the instance of the container.\n"
            + "\n"
            + "Use runc list to identify instances of containers and their current status.")
        .build(), 1, 1),
    RESUME(Command.builder("runc resume")
        .usage("resumes all processes that have been previously paused")
        .argsUsage("<container-id>\n"
            + "\n"
            + "Where \"<container-id>\" is the name for the instance of the container to be\n"
            + "resumed.")
        .description("The resume command resumes all processes in the instance of the container.\n"
            + "\n"
            + "Use runc list to identify instances of containers and their current status.")
        .build(), 1, 1);

    /** main.go's app flags. */
    static final App APP = App.of(List.of(
        Flag.bool("debug", "enable debug logging"),
        Flag.string("log", "set the log file to write runc logs to (default is '/dev/stderr')"),
        Flag.string("log-format", "set the log format ('text' (default), or 'json')").withValue("text"),
        Flag.string("root", "root directory for storage of container state (this should be located in tmpfs)")
            .withValue(DEFAULT_ROOT),
        Flag.string("criu", "path to the criu binary used for checkpoint and restore").withValue("criu"),
        Flag.bool("systemd-cgroup", "enable systemd cgroup support, expects cgroupsPath to be of form "
            + "\"slice:prefix:name\" for e.g. \"system.slice:runc:434234\""),
        Flag.string("rootless", "ignore cgroup permission errors ('true', 'false', or 'auto')")
            .withValue("auto")));

    private final Command command;
    private final int min;
    private final int max;

    Cli(Command command, int min, int max) {
      this.command = command;
      this.min = min;
      this.max = max;
    }

    Command command() {
      return command;
    }

    /** utils.go {@code checkArgs}: the error for {@code n} arguments, or empty; the shim runs runc as "runc". */
    String checkArgs(int n) {
      String name = "runc: " + GoText.quote(command.name());
      if (min == max) {
        return n == min ? "" : name + " requires exactly " + min + " argument(s)";
      }
      if (n < min) {
        return name + " requires a minimum of " + min + " argument(s)";
      }
      return n > max ? name + " requires a maximum of " + max + " argument(s)" : "";
    }
  }

  private static final class Globals {
    String root = DEFAULT_ROOT;
    @Nullable String log;
    boolean jsonLog;
    /** An errno that each write to the log fails with in this run. */
    @Nullable Errno logFault;
  }

  /** exec.go's flags as the action reads them. */
  private static final class ExecFlags {
    final @Nullable String process;
    final @Nullable String consoleSocket;
    final @Nullable String cwd;
    final List<String> env;
    /** Whether {@code --tty} was given: only then does its value set the terminal. */
    final boolean ttySet;
    final boolean tty;
    final boolean detach;
    final @Nullable String pidFile;
    final boolean ignorePaused;
    final String user;
    final List<Long> additionalGids;
    final List<String> caps;
    final boolean noNewPrivsSet;
    final boolean noNewPrivs;

    /**
     * The flags of {@code line}. {@code --preserve-fds} and {@code --cgroup} are parsed and ignored; TODO: a bad
     * {@code --cgroup} value is not refused as runc refuses it.
     */
    ExecFlags(CommandLine line) {
      process = nonEmpty(line.string("process"));
      consoleSocket = nonEmpty(line.string("console-socket"));
      cwd = nonEmpty(line.string("cwd"));
      env = line.strings("env");
      ttySet = line.isSet("tty");
      tty = line.bool("tty");
      detach = line.bool("detach");
      pidFile = nonEmpty(line.string("pid-file"));
      ignorePaused = line.bool("ignore-paused");
      user = line.string("user");
      additionalGids = line.integers("additional-gids");
      caps = line.strings("cap");
      noNewPrivsSet = line.isSet("no-new-privs");
      noNewPrivs = line.bool("no-new-privs");
    }

    private static @Nullable String nonEmpty(String s) {
      return s.isEmpty() ? null : s;
    }
  }
}
