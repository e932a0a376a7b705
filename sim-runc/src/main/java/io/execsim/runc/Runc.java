package io.execsim.runc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runc} binary of a node. It takes the command lines the shim gives it and answers as runc 1.1 does:
 * exit code 0 on success, 255 for a failed {@code exec} (1 for the other commands), and the error as a logrus line
 * in the {@code --log} file ({@code --log-format json}) or on standard error.
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
    List<String> args = inv.args();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      String flag = args.get(i++);
      switch (flag) {
        case "--root" -> g.root = args.get(i++);
        case "--log" -> g.log = args.get(i++);
        case "--log-format" -> g.jsonLog = args.get(i++).equals("json");
        case "--debug", "--systemd-cgroup" -> {
          // accepted, no effect here
        }
        default -> {
          return fail(inv, g, "flag provided but not defined: " + flag.replaceFirst("^-+", "-"), 1);
        }
      }
    }
    if (i >= args.size()) {
      return fail(inv, g, "no command given", 1);
    }
    String command = args.get(i);
    List<String> rest = args.subList(i + 1, args.size());
    Map<RuncEffect.File, Errno> faults = command.equals("exec") ? takeArmed() : Map.of();
    node.trace().record(Hop.RUNC, Phase.RUNC_STARTED, "runc " + String.join(" ", args));
    if (g.log != null) {
      try {
        openLog(g, g.log, faults.get(RuncEffect.File.LOG));
      } catch (PathError e) {
        return failToSetUpLogging(inv, g, e);
      }
    }
    return switch (command) {
      case "exec" -> exec(inv, g, rest, faults.get(RuncEffect.File.PID_FILE));
      case "create" -> simple(inv, g, "runc create failed", () -> create(inv, g, rest));
      case "run" -> run(inv, g, rest);
      case "start" -> simple(inv, g, "runc start failed", () -> start(g, id(rest)));
      case "kill" -> simple(inv, g, "runc kill failed", () -> kill(g, rest));
      case "pause" -> simple(inv, g, "runc pause failed", () -> pause(g, id(rest), true));
      case "resume" -> simple(inv, g, "runc resume failed", () -> pause(g, id(rest), false));
      case "delete" -> simple(inv, g, "runc delete failed", () -> delete(g, rest));
      default -> fail(inv, g, "No help topic for '" + command + "'", 3);
    };
  }

  // ---- exec

  private synchronized Map<RuncEffect.File, Errno> takeArmed() {
    Map<RuncEffect.File, Errno> taken = Map.copyOf(armed);
    armed.clear();
    return taken;
  }

  private CompletionStage<Integer> exec(Invocation inv, Globals g, List<String> args, @Nullable Errno pidFileFault) {
    ExecFlags f = new ExecFlags();
    int i = 0;
    try {
      while (i < args.size() && args.get(i).startsWith("-")) {
        String flag = args.get(i++);
        switch (flag) {
          case "--process", "-p" -> f.process = args.get(i++);
          case "--console-socket" -> f.consoleSocket = args.get(i++);
          case "--cwd" -> f.cwd = args.get(i++);
          case "--env", "-e" -> f.env.add(args.get(i++));
          case "--tty", "-t" -> f.tty = true;
          case "--detach", "-d" -> f.detach = true;
          case "--pid-file" -> f.pidFile = args.get(i++);
          case "--ignore-paused" -> f.ignorePaused = true;
          default -> throw GoError.of("flag provided but not defined: " + flag.replaceFirst("^-+", "-"));
        }
      }
    } catch (IndexOutOfBoundsException e) {
      return fail(inv, g, "exec failed: flag needs an argument: " + args.get(args.size() - 1), 255);
    } catch (GoError e) {
      return fail(inv, g, e.text(), 255);
    }
    String id = i < args.size() ? args.get(i) : "";
    List<String> command = i + 1 < args.size() ? args.subList(i + 1, args.size()) : List.of();
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
    ProcessSpec spec = f.process != null ? readProcessFile(f.process) : specFromFlags(c, f, command);
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
    try {
      chdir(c, spec.cwd());
      r = resolve(c, spec.cwd(), spec.env(), spec.args());
    } catch (GoError e) {
      throw GoError.wrap("unable to start container process", e);
    }
    int pid = node.processes().allocatePid();
    ContainerProcess.Streams3 stdio = pty == null
        ? new ContainerProcess.Streams3(inv.stdin(), inv.stdout(), inv.stderr())
        : new ContainerProcess.Streams3(pty.slaveInput(), pty.slaveOutput(), pty.slaveOutput());
    ContainerProcess p = new ContainerProcess(this, c, pid, r.argv(), spec.env(), spec.cwd(), stdio, true, pty);
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

  private static ProcessSpec specFromFlags(Container c, ExecFlags f, List<String> command) {
    ProcessSpec base = c.process();
    List<String> env = new ArrayList<>(base.env());
    env.addAll(f.env);
    return base.withArgs(command).withEnv(env).withTerminal(f.tty)
        .withCwd(f.cwd != null ? f.cwd : base.cwd());
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

  private CompletionStage<Integer> simple(Invocation inv, Globals g, String prefix, Runnable action) {
    try {
      action.run();
    } catch (GoError e) {
      return fail(inv, g, prefix + ": " + e.text(), 1);
    }
    closeStreams(inv);
    return CompletableFuture.completedFuture(0);
  }

  /** {@code run}: {@code create} and {@code start} in one; without {@code --detach} it waits for the init's exit. */
  private CompletionStage<Integer> run(Invocation inv, Globals g, List<String> args) {
    boolean detach = args.contains("--detach") || args.contains("-d");
    List<String> createArgs = args.stream().filter(a -> !a.equals("--detach") && !a.equals("-d")).toList();
    if (detach) {
      return simple(inv, g, "runc run failed", () -> start(g, create(inv, g, createArgs).id()));
    }
    Container c;
    try {
      c = create(inv, g, createArgs);
      start(g, c.id());
    } catch (GoError e) {
      return fail(inv, g, "runc run failed: " + e.text(), 1);
    }
    // TODO: a foreground run neither forwards signals nor waits for the container's other processes
    return c.init().exit().thenApply(s -> s.status());
  }

  private Container create(Invocation inv, Globals g, List<String> args) {
    String bundle = null;
    String pidFile = null;
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      String flag = args.get(i++);
      switch (flag) {
        case "--bundle", "-b" -> bundle = args.get(i++);
        case "--pid-file" -> pidFile = args.get(i++);
        case "--console-socket" -> i++;
        default -> {
          // other create flags have no effect here
        }
      }
    }
    String id = i < args.size() ? args.get(i) : "";
    if (id.isEmpty()) {
      throw GoError.of("container id cannot be empty");
    }
    if (bundle == null) {
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
    try {
      chdir(c, config.process().cwd());
      r = resolve(c, config.process().cwd(), config.process().env(), config.process().args());
    } catch (GoError e) {
      throw GoError.wrap("unable to start container process", e);
    }
    int pid = node.processes().allocatePid();
    ContainerProcess init = new ContainerProcess(this, c, pid, r.argv(), config.process().env(),
        config.process().cwd(), new ContainerProcess.Streams3(inv.stdin(), inv.stdout(), inv.stderr()), true, null);
    if (pidFile != null) {
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

  private void kill(Globals g, List<String> args) {
    List<String> plain = args.stream().filter(a -> !a.startsWith("-")).toList();
    if (plain.isEmpty()) {
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

  private void delete(Globals g, List<String> args) {
    boolean force = args.contains("--force") || args.contains("-f");
    String id = id(args.stream().filter(a -> !a.startsWith("-")).toList());
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

  private static final class Globals {
    String root = DEFAULT_ROOT;
    @Nullable String log;
    boolean jsonLog;
    /** An errno that each write to the log fails with in this run. */
    @Nullable Errno logFault;
  }

  private static final class ExecFlags {
    @Nullable String process;
    @Nullable String consoleSocket;
    @Nullable String cwd;
    final List<String> env = new ArrayList<>();
    boolean tty;
    boolean detach;
    @Nullable String pidFile;
    boolean ignorePaused;
  }
}
