package io.execsim.cri.ctr;

import io.execsim.core.cli.App;
import io.execsim.core.cli.Command;
import io.execsim.core.cli.CommandLine;
import io.execsim.core.cli.ParseResult;
import io.execsim.core.error.Errdefs;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.node.Node;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.Signal;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.StateResponse;
import io.execsim.core.task.TaskStatus;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.cri.api.ContainerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ctr}, containerd 1.6's command-line client, on a node: the commands that run a container and exec in it,
 * with ctr's flags, its FIFO sets in {@code /run/containerd/fifo}, its calls to containerd's socket and its output.
 * A failure prints {@code ctr: <error>} and returns 1; {@code task exec} and {@code run} return the process's exit
 * code. Global flags: {@code -a/--address}, {@code -n/--namespace}, {@code --timeout}, {@code --connect-timeout},
 * {@code --debug}. Commands: {@code run}; {@code task} (also {@code tasks}, {@code t}) with {@code exec},
 * {@code kill}, {@code pause}, {@code resume}, {@code delete} ({@code del}, {@code remove}, {@code rm});
 * {@code container} ({@code containers}, {@code c}) with {@code delete}.
 *
 * <p>Command lines are read as urfave/cli reads them, with the real commands' flag tables ({@link CtrCommands}):
 * every flag the real one takes is accepted, an unknown one prints {@code Incorrect Usage: ...} and the command's
 * help on stdout, and {@code task exec} without {@code --exec-id} prints the help before it fails.
 *
 * <p>ctr runs as a process of its own: {@link #start} returns it running, and everything it does happens on the
 * node's scheduler. What it leaves when it ends is what the real one leaves: the FIFO directory of a detached
 * process, or of a process whose deferred {@code Delete} failed (the task or containerd went away), stays.
 */
public final class Ctr {
  private static final Logger log = LoggerFactory.getLogger(Ctr.class);
  /** containerd's default socket. */
  public static final String DEFAULT_ADDRESS = "/run/containerd/containerd.sock";
  /** ctr's default namespace. */
  public static final String DEFAULT_NAMESPACE = "default";
  /** containerd's client gives its dial this long unless {@code --connect-timeout} says otherwise. */
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** What an exit code of a process killed by {@code SIGKILL} is. */
  private static final int KILLED = 128 + Signal.SIGKILL.number();

  private final Node node;

  /** ctr on {@code node}. */
  public Ctr(Node node) {
    this.node = node;
  }

  /** A ctr command running: its exit code once it ends, and {@code SIGKILL}. */
  public static final class Running {
    private final Session session;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private Running(Session session) {
      this.session = session;
    }

    /** Completes with the exit code when ctr has ended. */
    public CompletionStage<Integer> exit() {
      return exit;
    }

    /** Whether ctr has ended. */
    public boolean hasEnded() {
      return exit.isDone();
    }

    /** {@code SIGKILL}: ctr ends where it stands; nothing it would still have done happens. */
    public void kill() {
      if (session.end()) {
        exit.complete(KILLED);
      }
    }
  }

  /**
   * Starts {@code ctr <args>} with {@code env} added to its environment ({@code CONTAINERD_ADDRESS},
   * {@code CONTAINERD_NAMESPACE}); it reads {@code stdin} and writes to {@code stdout} and {@code stderr}.
   */
  public Running start(List<String> args, Map<String, String> env, ByteSource stdin, ByteSink stdout,
      ByteSink stderr) {
    Session s = new Session(node, Map.copyOf(env), stdin, stdout, stderr);
    Running p = new Running(s);
    node.trace().record(Hop.CTR, Phase.CLIENT_REQUEST, "ctr " + String.join(" ", args));
    CompletionStage<Integer> run;
    try {
      run = dispatch(s, List.copyOf(args), env);
    } catch (GoError e) {
      run = CompletableFuture.failedFuture(e);
    }
    run.whenComplete((code, e) -> {
      if (!s.isAlive()) {
        return;
      }
      CompletionStage<Void> printed = CompletableFuture.completedFuture(null);
      int status = code == null ? 1 : code;
      if (e != null) {
        GoError err = GoError.from(e);
        if (err instanceof ExitCoder x) {
          status = x.code;
          printed = s.print(s.stderr, x.text().isEmpty() ? "" : x.text() + "\n");
        } else {
          printed = s.print(s.stderr, "ctr: " + err.text() + "\n");
        }
      }
      int finalStatus = status;
      printed.whenComplete((v, pe) -> {
        if (s.end()) {
          node.trace().record(Hop.CTR, Phase.PROCESS_EXITED, "ctr exit " + finalStatus);
          p.exit.complete(finalStatus);
        }
      });
    });
    return p;
  }

  /** urfave/cli's {@code ExitCoder}: printed as it is, without {@code ctr: }, with its own exit code. */
  private static final class ExitCoder extends GoError {
    final int code;

    ExitCoder(String text, int code) {
      super(text);
      this.code = code;
    }
  }

  private CompletionStage<Integer> dispatch(Session s, List<String> args, Map<String, String> env) {
    ParseResult parsed = CtrCommands.APP.parse(args, env);
    if (!(parsed instanceof ParseResult.Parsed p)) {
      return stopped(s, parsed);
    }
    CommandLine global = p.line();
    if (global.bool("version")) {
      // Simplified: the version as containerd's release build stamps it
      return s.print(s.stdout, "ctr github.com/containerd/containerd v1.6.20\n").thenApply(v -> 0);
    }
    // Simplified: an empty address or namespace falls back to the default, where the real one fails later
    String address = global.string("address");
    s.address = address.isEmpty() ? DEFAULT_ADDRESS : address;
    String namespace = global.string("namespace");
    s.namespace = namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    if (global.duration("timeout").compareTo(Duration.ZERO) > 0) {
      s.deadline = node.scheduler().now().plus(global.duration("timeout"));
    }
    if (global.duration("connect-timeout").compareTo(Duration.ZERO) > 0) {
      s.connectTimeout = global.duration("connect-timeout");
    }
    List<String> rest = global.args();
    String command = rest.isEmpty() ? "" : rest.get(0);
    List<String> tail = rest.isEmpty() ? List.of() : rest.subList(1, rest.size());
    return switch (command) {
      case "run" -> command(s, CtrCommands.RUN, tail, f -> run(s, f));
      case "tasks", "t", "task" -> group(s, tail, (sub, t) -> task(s, sub, t));
      case "containers", "c", "container" -> group(s, tail, (sub, t) -> container(s, sub, t));
      // TODO: ctr without a command prints the app's help; here it prints nothing
      case "" -> CompletableFuture.completedFuture(0);
      default -> throw noHelpTopic(command);
    };
  }

  /** urfave's {@code Command.Run} for a command without subcommands: its flags, then {@code action}. */
  private static CompletionStage<Integer> command(Session s, Command command, List<String> args,
      Function<CommandLine, CompletionStage<Integer>> action) {
    ParseResult parsed = command.parse(args, s.env);
    if (parsed instanceof ParseResult.Parsed p) {
      return action.apply(p.line());
    }
    return stopped(s, parsed);
  }

  /**
   * A command group ({@code tasks}, {@code containers}) run as urfave's sub-app: its own flags, then the
   * subcommand named by the first argument with the rest. TODO: the group's help (its list of commands) is not
   * printed, for {@code -h}, a flag error or a group without a subcommand.
   */
  private static CompletionStage<Integer> group(Session s, List<String> args,
      BiFunction<String, List<String>, CompletionStage<Integer>> subcommand) {
    ParseResult parsed = App.group().parse(args, s.env);
    if (!(parsed instanceof ParseResult.Parsed p)) {
      return stopped(s, parsed);
    }
    List<String> rest = p.line().args();
    if (rest.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    return subcommand.apply(rest.get(0), rest.subList(1, rest.size()));
  }

  /** urfave printed help or a usage error on stdout: ctr ends with 0, or with the error. */
  private static CompletionStage<Integer> stopped(Session s, ParseResult parsed) {
    if (parsed instanceof ParseResult.HelpShown h) {
      return s.print(s.stdout, h.output()).thenApply(v -> 0);
    }
    ParseResult.Failed f = (ParseResult.Failed) parsed;
    return s.print(s.stdout, f.output()).thenCompose(v -> CompletableFuture.failedFuture(f.error()));
  }

  private static ExitCoder noHelpTopic(String command) {
    return new ExitCoder("No help topic for '" + command + "'", 3);
  }

  private CompletionStage<Integer> task(Session s, String sub, List<String> tail) {
    return switch (sub) {
      case "exec" -> command(s, CtrCommands.EXEC, tail, f -> exec(s, f));
      case "kill" -> command(s, CtrCommands.KILL, tail, f -> kill(s, f));
      case "pause" -> command(s, CtrCommands.PAUSE, tail, f -> pause(s, f, true));
      case "resume" -> command(s, CtrCommands.RESUME, tail, f -> pause(s, f, false));
      case "delete", "del", "remove", "rm" -> command(s, CtrCommands.TASK_DELETE, tail, f -> deleteTasks(s, f));
      // TODO: attach, checkpoint, list, ps, start and metrics are not modelled, and answer as unknown ones
      default -> throw noHelpTopic(sub);
    };
  }

  private CompletionStage<Integer> container(Session s, String sub, List<String> tail) {
    return switch (sub) {
      case "delete", "del", "remove", "rm" -> command(s, CtrCommands.CONTAINER_DELETE, tail,
          f -> deleteContainers(s, f));
      // TODO: create, info, list, label, checkpoint and restore are not modelled, and answer as unknown ones
      default -> throw noHelpTopic(sub);
    };
  }

  // ---- run

  private CompletionStage<Integer> run(Session s, CommandLine f) {
    String ref = f.arg(0);
    String id = f.arg(1);
    boolean detach = f.bool("detach");
    boolean rm = f.bool("rm");
    if (ref.isEmpty()) {
      throw GoError.of("image ref must be provided");
    }
    if (id.isEmpty()) {
      throw GoError.of("container id must be provided");
    }
    if (rm && detach) {
      throw GoError.of("flags --detach and --rm cannot be specified together");
    }
    return s.client().thenCompose(c -> runWith(s, f, c, ref, id));
  }

  /**
   * Of run's flags, these have an effect here: {@code --rm}, {@code --null-io}, {@code -d}, {@code -t},
   * {@code --rootfs}, {@code --env}, {@code --cwd}, {@code --fifo-dir}, {@code --runc-binary}; the others are
   * parsed and ignored.
   */
  private CompletionStage<Integer> runWith(Session s, CommandLine f, CtrClient c, String ref, String id) {
    boolean detach = f.bool("detach");
    boolean rm = f.bool("rm");
    boolean tty = f.bool("tty");
    if (!f.bool("rootfs")) {
      // TODO: images are not modelled; every image reference is unknown to the image store
      throw GoError.of("image " + GoText.quote(ref), Errdefs.NOT_FOUND);
    }
    List<String> args = f.args().subList(2, f.args().size());
    ProcessSpec process = ProcessSpec.of(args, f.strings("env")).withTerminal(tty);
    if (!f.string("cwd").isEmpty()) {
      process = process.withCwd(f.string("cwd"));
    }
    String rootfs = Paths.resolve("/", ref);
    String binary = f.string("runc-binary");
    Optional<String> runc = binary.isEmpty() ? Optional.empty() : Optional.of(binary);
    ContainerRecord record = new ContainerRecord(id, process, rootfs, runc);
    ProcessRef init = new ProcessRef(id, "");
    String ns = s.namespace;
    return fromGrpc(c.call(api -> api.createContainer(ns, record))).thenCompose(created -> {
      @Nullable CtrFifos io = f.bool("null-io") ? null : s.fifos(f.string("fifo-dir"), id, tty);
      CreateTaskRequest request = io == null
          ? new CreateTaskRequest(id, "", tty, Optional.empty(), Optional.empty(), Optional.empty())
          : new CreateTaskRequest(id, "", tty, io.stdin(), io.stdout(), io.stderr());
      return c.call(api -> api.createTask(ns, request)).handle((r, e) -> {
        if (e != null) {
          if (io != null) {
            io.abort();
          }
          throw CtrClient.toNative(e);
        }
        if (io != null) {
          io.onStdinEnd(() -> c.call(api -> api.closeIo(ns, init)));
        }
        return r;
      }).thenCompose(r -> {
        Runnable abort = () -> {
          if (io != null) {
            io.abort();
          }
        };
        if (detach) {
          return fromGrpc(c.call(api -> api.start(ns, init)), abort).thenApply(started -> 0);
        }
        CompletionStage<ExitResponse> status = c.call(api -> api.waitFor(ns, init));
        CompletionStage<Integer> main = fromGrpc(c.call(api -> api.start(ns, init)), abort)
            .thenCompose(started -> raw(status))
            .thenCompose(exit -> deleteTask(s, c, id, io).thenApply(deleted -> exitCode(exit.exitStatus())));
        return rm ? deferred(main, () -> deleteContainer(s, c, id).handle((v, e) -> null)) : main;
      });
    });
  }

  /** The exit code a process's status gives ctr's exit: the status itself, which a non-zero one returns. */
  private static int exitCode(int status) {
    if (status != 0) {
      throw new ExitCoder("", status);
    }
    return 0;
  }

  // ---- task exec

  private CompletionStage<Integer> exec(Session s, CommandLine f) {
    String id = f.arg(0);
    if (id.isEmpty()) {
      throw GoError.of("container id must be provided");
    }
    return s.client().thenCompose(c -> loadContainer(s, c, id).thenCompose(container -> {
      String user = f.string("user");
      // oci.WithUser on the container's spec, before the task is looked up
      ProcessSpec spec = user.isEmpty() ? container.process()
          : container.process().withUser(OciUser.withUser(node.fs(), container.rootfs(), user));
      return loadTask(s, c, id).thenCompose(task -> execIn(s, f, c, container, spec));
    }));
  }

  private CompletionStage<Integer> execIn(Session s, CommandLine f, CtrClient c, ContainerRecord container,
      ProcessSpec base) {
    String id = container.id();
    List<String> args = f.args().subList(1, f.args().size());
    boolean tty = f.bool("tty");
    boolean detach = f.bool("detach");
    String execId = f.string("exec-id");
    String ns = s.namespace;
    ProcessRef ref = new ProcessRef(id, execId);
    // TODO: ctr -t takes its streams for a terminal; the real one panics when none of them is a console
    ProcessSpec spec = base.withTerminal(tty).withArgs(args);
    if (!f.string("cwd").isEmpty()) {
      spec = spec.withCwd(f.string("cwd"));
    }
    String logUri = f.string("log-uri");
    if (tty && !logUri.isEmpty()) {
      throw GoError.of("can't use log-uri with tty");
    }
    if (!logUri.isEmpty() && !f.string("fifo-dir").isEmpty()) {
      throw GoError.of("can't use log-uri with fifo-dir");
    }
    // TODO: a --log-uri is otherwise ignored; the process's output goes to ctr's FIFOs as without it
    CtrFifos io = s.fifos(f.string("fifo-dir"), execId, tty);
    ExecProcessRequest request = new ExecProcessRequest(id, execId, tty, io.stdin(), io.stdout(), io.stderr(),
        spec);
    node.trace().record(Hop.CTR, Phase.FIFOS_CREATED, "exec=" + execId + " dir=" + io.dir());
    return fromGrpc(c.call(api -> api.exec(ns, request)), io::abort).thenCompose(added -> {
      io.onStdinEnd(() -> c.call(api -> api.closeIo(ns, ref)));
      // Wait is issued before Start, so the exit cannot be missed
      CompletionStage<ExitResponse> status = c.call(api -> api.waitFor(ns, ref));
      CompletionStage<Integer> main = fromGrpc(c.call(api -> api.start(ns, ref)), io::abort)
          .thenCompose(started -> {
            if (detach) {
              return CompletableFuture.completedFuture(0);
            }
            return raw(status).thenApply(exit -> exitCode(exit.exitStatus()));
          });
      // the deferred process.Delete of a process ctr waits for; its own error is dropped
      return detach ? main : deferred(main, () -> deleteProcess(c, ns, ref, io).handle((v, e) -> null));
    });
  }

  /** {@code process.Delete}: only a process that is not running is deleted; its FIFOs go after its output. */
  private static CompletionStage<Void> deleteProcess(CtrClient c, String ns, ProcessRef ref, CtrFifos io) {
    return fromGrpc(c.call(api -> api.get(ns, ref))).thenCompose(state -> {
      requireNotRunning(state.status(), "current process state: %s, process must be stopped before deletion");
      return fromGrpc(c.call(api -> api.deleteProcess(ns, ref)));
    }).thenCompose(exit -> io.finish().thenApply(v -> null));
  }

  private static void requireNotRunning(TaskStatus status, String format) {
    if (status == TaskStatus.RUNNING || status == TaskStatus.PAUSED || status == TaskStatus.PAUSING) {
      throw GoError.of(String.format(Locale.ROOT, format, status.label()), Errdefs.FAILED_PRECONDITION);
    }
  }

  // ---- task kill, pause, resume

  private CompletionStage<Integer> kill(Session s, CommandLine f) {
    String id = f.arg(0);
    if (id.isEmpty()) {
      throw GoError.of("container id must be provided");
    }
    boolean all = f.bool("all");
    String execId = f.string("exec-id");
    if (all && !execId.isEmpty()) {
      throw GoError.of("specify an exec-id or all; not both");
    }
    String ns = s.namespace;
    return s.client().thenCompose(c -> loadContainer(s, c, id).thenCompose(container -> {
      // without -s, the container's stop signal label decides; no container here has one, so SIGTERM
      Signal signal = f.string("signal").isEmpty() ? Signal.SIGTERM : parseSignal(f.string("signal"));
      // TODO: --all is accepted but signals the one process, as the task API here has no "all"
      return loadTask(s, c, id).thenCompose(task -> fromGrpc(c.call(api -> api.kill(ns,
          new KillRequest(new ProcessRef(id, execId), signal)))));
    })).thenApply(v -> 0);
  }

  /** containerd's {@code signal.ParseSignal}: a number, or a name with or without {@code SIG}. */
  private static Signal parseSignal(String raw) {
    try {
      return Signal.of(Integer.parseInt(raw));
    } catch (NumberFormatException e) {
      String name = raw.toUpperCase(Locale.ROOT);
      name = name.startsWith("SIG") ? name : "SIG" + name;
      for (Signal sig : Signal.values()) {
        if (sig.name().equals(name)) {
          return sig;
        }
      }
    } catch (IllegalArgumentException e) {
      // TODO: a signal number the simulation does not know is refused, which real ctr sends
      log.debug("signal number {} unknown here", raw);
    }
    throw GoError.of("unknown signal " + GoText.quote(raw));
  }

  private CompletionStage<Integer> pause(Session s, CommandLine f, boolean pause) {
    String id = f.arg(0);
    String ns = s.namespace;
    return s.client().thenCompose(c -> loadContainer(s, c, id).thenCompose(container -> loadTask(s, c, id))
        .thenCompose(task -> fromGrpc(c.call(api -> pause ? api.pause(ns, id) : api.resume(ns, id)))))
        .thenApply(v -> 0);
  }

  // ---- task delete

  private CompletionStage<Integer> deleteTasks(Session s, CommandLine f) {
    return s.client().thenCompose(c -> deleteTasks(s, f, c));
  }

  private CompletionStage<Integer> deleteTasks(Session s, CommandLine f, CtrClient c) {
    String ns = s.namespace;
    boolean force = f.bool("force");
    String execId = f.string("exec-id");
    if (!execId.isEmpty()) {
      String id = f.arg(0);
      ProcessRef ref = new ProcessRef(id, execId);
      return loadContainer(s, c, id).thenCompose(container -> loadTask(s, c, id)).thenCompose(task ->
          fromGrpc(c.call(api -> api.get(ns, ref))).handle((state, e) -> {
            if (e != null) {
              GoError err = GoError.from(e);
              throw err.is(Errdefs.NOT_FOUND) ? GoError.wrap("no running process found", err) : err;
            }
            return state;
          })).thenCompose(state -> (force ? killAndWait(c, ns, ref) : CompletableFuture.<Void>completedFuture(null)))
          .thenCompose(v -> fromGrpc(c.call(api -> api.get(ns, ref))))
          .thenCompose(st -> {
            requireNotRunning(st.status(), "current process state: %s, process must be stopped before deletion");
            return fromGrpc(c.call(api -> api.deleteProcess(ns, ref)));
          })
          .thenApply(exit -> exitCode(exit.exitStatus()));
    }
    CompletionStage<GoError> firstError = CompletableFuture.completedFuture(null);
    for (String target : f.args()) {
      firstError = firstError.thenCompose(first -> loadContainer(s, c, target)
          .thenCompose(container -> loadTask(s, c, target))
          .handle((task, e) -> {
            if (e != null) {
              GoError err = GoError.from(e);
              s.logError("failed to load task from " + target, err);
              return CompletableFuture.completedFuture(first != null ? first : err);
            }
            CompletionStage<Void> killed = force ? killAndWait(c, ns, new ProcessRef(target, ""))
                : CompletableFuture.completedFuture(null);
            return killed
                .thenCompose(v -> deleteLoadedTask(c, ns, target, task))
                .handle((exit, de) -> {
                  if (de != null) {
                    GoError err = GoError.from(de);
                    s.logError("unable to delete " + target, err);
                    return first != null ? first : err;
                  }
                  if (exit.exitStatus() != 0) {
                    s.log("warning", "task " + target + " exit with non-zero exit code " + exit.exitStatus(), null);
                  }
                  return first;
                });
          }).thenCompose(x -> x));
    }
    return firstError.thenApply(err -> {
      if (err != null) {
        throw err;
      }
      return 0;
    });
  }

  /** {@code WithProcessKill}: Wait, {@code SIGKILL} (a stopped or missing process is no error), then the exit. */
  private static CompletionStage<Void> killAndWait(CtrClient c, String ns, ProcessRef ref) {
    CompletionStage<ExitResponse> status = c.call(api -> api.waitFor(ns, ref));
    return fromGrpc(c.call(api -> api.kill(ns, new KillRequest(ref, Signal.SIGKILL)))).handle((v, e) -> {
      if (e != null) {
        GoError err = GoError.from(e);
        if (!err.is(Errdefs.FAILED_PRECONDITION) && !err.is(Errdefs.NOT_FOUND)) {
          throw err;
        }
      }
      return status.handle((x, we) -> (Void) null);
    }).thenCompose(x -> x);
  }

  /**
   * {@code task.Delete} of a task loaded with {@code cio.Load}: a stopped (or created, never started) task only; its
   * FIFOs are removed before the delete.
   */
  private CompletionStage<ExitResponse> deleteLoadedTask(CtrClient c, String ns, String id, StateResponse loaded) {
    return fromGrpc(c.call(api -> api.get(ns, new ProcessRef(id, "")))).thenCompose(state -> {
      boolean deletable = switch (state.status()) {
        case STOPPED, UNKNOWN -> true;
        case CREATED -> loaded.pid() == 0;
        default -> false;
      };
      if (!deletable) {
        throw GoError.of("task must be stopped before deletion: " + state.status().label(),
            Errdefs.FAILED_PRECONDITION);
      }
      CtrFifos.removeLoaded(node, loaded);
      return fromGrpc(c.call(api -> api.deleteTask(ns, id)));
    });
  }

  /** {@code task.Delete} after ctr's own wait in {@code run}: its FIFOs go after the delete. */
  private CompletionStage<ExitResponse> deleteTask(Session s, CtrClient c, String id, @Nullable CtrFifos io) {
    String ns = s.namespace;
    return fromGrpc(c.call(api -> api.get(ns, new ProcessRef(id, "")))).thenCompose(state -> {
      if (state.status() != TaskStatus.STOPPED && state.status() != TaskStatus.UNKNOWN) {
        throw GoError.of("task must be stopped before deletion: " + state.status().label(),
            Errdefs.FAILED_PRECONDITION);
      }
      return fromGrpc(c.call(api -> api.deleteTask(ns, id)));
    }).thenCompose(exit -> io == null ? CompletableFuture.completedFuture(exit) : io.finish().thenApply(v -> exit));
  }

  // ---- container delete

  /** {@code --keep-snapshot} is parsed and ignored: snapshots are not modelled. */
  private CompletionStage<Integer> deleteContainers(Session s, CommandLine f) {
    if (f.args().isEmpty()) {
      throw GoError.of("must specify at least one container to delete", Errdefs.INVALID_ARGUMENT);
    }
    return s.client().thenCompose(c -> deleteContainers(s, f, c));
  }

  private CompletionStage<Integer> deleteContainers(Session s, CommandLine f, CtrClient c) {
    CompletionStage<GoError> firstError = CompletableFuture.completedFuture(null);
    for (String target : f.args()) {
      firstError = firstError.thenCompose(first -> deleteContainer(s, c, target).handle((v, e) -> {
        if (e == null) {
          return first;
        }
        GoError err = GoError.from(e);
        s.logError("failed to delete container " + GoText.quote(target), err);
        return first != null ? first : err;
      }));
    }
    return firstError.thenApply(err -> {
      if (err != null) {
        throw err;
      }
      return 0;
    });
  }

  /** ctr's {@code deleteContainer}: a container without a task goes; a stopped or created task goes first. */
  private CompletionStage<Void> deleteContainer(Session s, CtrClient c, String id) {
    String ns = s.namespace;
    return loadContainer(s, c, id).thenCompose(container -> loadTask(s, c, id).handle((task, e) -> {
      if (e != null) {
        return removeContainer(c, ns, id);
      }
      if (task.status() != TaskStatus.STOPPED && task.status() != TaskStatus.CREATED) {
        throw GoError.of("cannot delete a non stopped container: {" + task.status().label() + " "
            + task.exitStatus() + " 0001-01-01 00:00:00 +0000 UTC}");
      }
      return deleteLoadedTask(c, ns, id, task).thenCompose(exit -> removeContainer(c, ns, id));
    }).thenCompose(x -> x));
  }

  /** {@code container.Delete}: refused while the container has a task. */
  private static CompletionStage<Void> removeContainer(CtrClient c, String ns, String id) {
    return c.call(api -> api.get(ns, new ProcessRef(id, ""))).handle((task, e) -> {
      if (e == null) {
        throw GoError.of("cannot delete running task " + id, Errdefs.FAILED_PRECONDITION);
      }
      return fromGrpc(c.call(api -> api.deleteContainer(ns, id)));
    }).thenCompose(x -> x);
  }

  // ---- client steps

  /** {@code client.LoadContainer}, reading its spec. */
  private static CompletionStage<ContainerRecord> loadContainer(Session s, CtrClient c, String id) {
    return fromGrpc(c.call(api -> api.getContainer(s.namespace, id)));
  }

  /** {@code container.Task}: the task's init, or {@code no running task found: ...}. */
  private static CompletionStage<StateResponse> loadTask(Session s, CtrClient c, String id) {
    return c.call(api -> api.get(s.namespace, new ProcessRef(id, ""))).handle((state, e) -> {
      if (e != null) {
        GoError err = CtrClient.toNative(e);
        throw err.is(Errdefs.NOT_FOUND) ? GoError.wrap("no running task found", err) : err;
      }
      return state;
    });
  }

  /** A call whose failure ctr turns into a native error ({@code errdefs.FromGRPC}). */
  private static <T> CompletionStage<T> fromGrpc(CompletionStage<T> call) {
    return fromGrpc(call, () -> { });
  }

  /** As {@link #fromGrpc(CompletionStage)}, running {@code onError} first, as ctr cancels a process's IO. */
  private static <T> CompletionStage<T> fromGrpc(CompletionStage<T> call, Runnable onError) {
    return call.handle((v, e) -> {
      if (e != null) {
        onError.run();
        throw CtrClient.toNative(e);
      }
      return v;
    });
  }

  /** A call whose failure ctr returns as the gRPC client gave it, as a process's exit status carries Wait's error. */
  private static <T> CompletionStage<T> raw(CompletionStage<T> call) {
    return call.handle((v, e) -> {
      if (e != null) {
        throw GoError.from(e);
      }
      return v;
    });
  }

  /** Go's {@code defer}: {@code cleanup} runs after {@code main} however it ended, and {@code main}'s outcome stays. */
  private static <T> CompletionStage<T> deferred(CompletionStage<T> main, Supplier<CompletionStage<?>> cleanup) {
    return main.handle((v, e) -> cleanup.get().handle((x, ce) -> {
      if (e != null) {
        throw GoError.from(e);
      }
      return v;
    })).thenCompose(x -> x);
  }

  /** One run of ctr: its streams, its options, its connection and FIFO sets, and whether it still runs. */
  private static final class Session {
    final Node node;
    final Map<String, String> env;
    final ByteSource stdin;
    final ByteSink stdout;
    final ByteSink stderr;
    final List<CtrFifos> fifos = new ArrayList<>();
    String address = DEFAULT_ADDRESS;
    String namespace = DEFAULT_NAMESPACE;
    @Nullable Instant deadline;
    Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    @Nullable CompletionStage<CtrClient> dialed;
    @Nullable CtrClient client;
    boolean ended;

    Session(Node node, Map<String, String> env, ByteSource stdin, ByteSink stdout, ByteSink stderr) {
      this.node = node;
      this.env = env;
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    /** {@code commands.NewClient}: dials containerd once. */
    synchronized CompletionStage<CtrClient> client() {
      if (dialed == null) {
        dialed = CtrClient.dial(node, address, connectTimeout, deadline).thenApply(c -> {
          synchronized (this) {
            client = c;
          }
          if (ended) {
            c.close();
          }
          return c;
        });
      }
      return dialed;
    }

    synchronized CtrFifos fifos(String dir, String id, boolean tty) {
      if (ended) {
        throw GoError.of("ctr has ended");
      }
      CtrFifos f = CtrFifos.create(node, dir.isEmpty() ? CtrFifos.DEFAULT_DIR : dir, id, tty, stdin, stdout,
          tty ? io.execsim.core.io.Streams.discard() : stderr);
      fifos.add(f);
      return f;
    }

    synchronized boolean isAlive() {
      return !ended;
    }

    /** The process ends: its connection and FIFO ends close. Returns whether it was still running. */
    boolean end() {
      List<CtrFifos> open;
      CtrClient c;
      synchronized (this) {
        if (ended) {
          return false;
        }
        ended = true;
        open = List.copyOf(fifos);
        c = client;
      }
      open.forEach(CtrFifos::exit);
      if (c != null) {
        c.close();
      }
      return true;
    }

    CompletionStage<Void> print(ByteSink to, String text) {
      if (text.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      return to.write(text.getBytes(StandardCharsets.UTF_8));
    }

    void logError(String msg, GoError error) {
      log("error", msg, error);
    }

    /** A logrus text line on stderr, as containerd's logger writes it when stderr is no terminal. */
    void log(String level, String msg, @Nullable GoError error) {
      if (!isAlive()) {
        return;
      }
      String time = DateTimeFormatter.ISO_INSTANT.format(node.scheduler().now().truncatedTo(ChronoUnit.SECONDS));
      StringBuilder b = new StringBuilder("time=").append(GoText.quote(time)).append(" level=").append(level)
          .append(" msg=").append(logrusValue(msg));
      if (error != null) {
        b.append(" error=").append(logrusValue(error.text()));
      }
      print(stderr, b.append('\n').toString());
    }

    /** logrus quotes a value with {@code %q} unless every character is a letter, digit or one of {@code -._/@^+}. */
    private static String logrusValue(String v) {
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        boolean plain = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
            || "-._/@^+".indexOf(ch) >= 0;
        if (!plain) {
          return GoText.quote(v);
        }
      }
      return v.isEmpty() ? "\"\"" : v;
    }
  }
}
