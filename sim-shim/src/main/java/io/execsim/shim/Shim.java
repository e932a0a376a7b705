package io.execsim.shim;

import io.execsim.core.error.Errdefs;
import io.execsim.core.error.ExitError;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.error.RpcError;
import io.execsim.core.fs.FileHandle;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pty;
import io.execsim.core.io.Streams;
import io.execsim.core.json.GoStructDecoder;
import io.execsim.core.node.Node;
import io.execsim.core.node.UnixListener;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.OciRuntime;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.ResizePtyRequest;
import io.execsim.core.task.StartResponse;
import io.execsim.core.task.StateResponse;
import io.execsim.core.task.TaskService;
import io.execsim.core.task.TaskStatus;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * containerd-shim-runc-v2, the process that serves a container's task service (normally one container; it can hold
 * more): the task service containerd calls over ttrpc. It keeps the state of each container's init and exec
 * processes, starts them through runc, copies their output into the FIFOs containerd reads (from OS pipes, or from
 * the pty master runc sends over a console socket for a terminal exec), resizes their terminals, and reaps them as
 * their subreaper.
 *
 * <p>Errors leave the service as the real shim sends them: a plain error becomes an Unknown status carrying its
 * text, an errdefs error the status of its class.
 *
 * <p>The shim is also a process: {@link #serve} binds its ttrpc socket, {@link #stop} and {@link #cont} are
 * {@code SIGSTOP} and {@code SIGCONT} (calls wait, then run in order), {@link #kill} is {@code SIGKILL}: every call
 * in flight fails with {@code ttrpc: closed} at containerd, the socket file stays, and what the shim was doing stops
 * where it stood, so a {@code runc-process} temp file whose runc had not returned is never removed. The container's
 * processes live on until containerd's cleanup deletes the container.
 */
public final class Shim implements TaskService {
  private static final Logger log = LoggerFactory.getLogger(Shim.class);
  private static final java.time.Duration IO_DRAIN_WAIT = java.time.Duration.ofSeconds(2);
  private static final java.time.Duration CONSOLE_SETUP_TIMEOUT = java.time.Duration.ofSeconds(30);
  /** What is left of a call a killed shim was handling; nobody receives it. */
  private static final String CLOSED_BY_DEATH = "shim killed";

  private final Node node;
  private final OciRuntime runc;
  private final ShimConfig config;
  private final GoRunc goRunc;
  private final Map<String, TaskContainer> containers = new LinkedHashMap<>();
  private final CallServer<TaskService> server;
  private @Nullable UnixListener listener;
  private boolean dead;

  /** A shim on {@code node} that invokes {@code runc} as the OCI runtime. */
  public Shim(Node node, OciRuntime runc, ShimConfig config) {
    this.node = node;
    this.runc = runc;
    this.config = config;
    this.goRunc = new GoRunc(node, runc, config);
    this.server = new CallServer<>(node.scheduler(), this);
  }

  // ---- the shim as a process

  /** Binds the shim's ttrpc socket at {@code path}; containerd dials it there. */
  public synchronized void serve(String path) {
    if (listener != null) {
      throw new IllegalStateException("the shim serves already at " + listener.path());
    }
    listener = node.sockets().serve(path, server);
    log.debug("shim serves at {}", path);
  }

  /** The ttrpc server of this shim, through which callers reach its task service. */
  public CallServer<TaskService> server() {
    return server;
  }

  /** The OCI runtime this shim runs. */
  public OciRuntime runtime() {
    return runc;
  }

  /** Whether the shim process runs (or is stopped), that is, was neither killed nor has exited. */
  public synchronized boolean isAlive() {
    return !dead;
  }

  /** {@code SIGSTOP}: calls and answers wait until {@link #cont}. */
  public void stop() {
    // TODO: a stopped shim still copies its processes' output and reaps them; only its calls and answers wait
    server.stop();
    node.trace().record(Hop.SHIM, Phase.FAULT_FIRED, "shim stopped");
  }

  /** {@code SIGCONT}: the calls that waited run, in their order. */
  public void cont() {
    server.cont();
    node.trace().record(Hop.SHIM, Phase.FAULT_FIRED, "shim continued");
  }

  /**
   * {@code SIGKILL}: the shim is gone. Calls in flight fail at their callers, the socket file stays, and nothing
   * the shim was doing finishes.
   */
  public void kill() {
    // TODO: the output copies of a killed shim run on until the container's processes are killed by containerd's
    // cleanup; a real one's stop at once
    if (end(true)) {
      node.trace().record(Hop.SHIM, Phase.FAULT_FIRED, "shim killed");
      log.info("shim killed, containers {}", containers.keySet());
    }
  }

  private void exit() {
    if (end(false)) {
      log.debug("shim exited");
    }
  }

  /**
   * The end of the shim's process: calls fail, go-runc stops cleaning up after itself, and the socket is closed, or,
   * when the process was killed, abandoned with its file left behind. False if it had ended before.
   */
  private boolean end(boolean killed) {
    UnixListener l;
    synchronized (this) {
      if (dead) {
        return false;
      }
      dead = true;
      l = listener;
    }
    goRunc.dead = true;
    server.close();
    if (l != null && killed) {
      l.abandon();
    } else if (l != null) {
      l.close();
    }
    return true;
  }

  // ---- task service, each call behind the ttrpc edge

  @Override
  public CompletionStage<StartResponse> create(CreateTaskRequest r) {
    return RpcError.atEdge(() -> createTask(r));
  }

  @Override
  public CompletionStage<Void> pause(String id) {
    return RpcError.atEdge(() -> setPaused(id, true));
  }

  @Override
  public CompletionStage<Void> resume(String id) {
    return RpcError.atEdge(() -> setPaused(id, false));
  }

  @Override
  public CompletionStage<Void> exec(ExecProcessRequest r) {
    return RpcError.atEdge(() -> addExec(r));
  }

  @Override
  public CompletionStage<StartResponse> start(ProcessRef r) {
    return RpcError.atEdge(() -> r.execId().isEmpty() ? startInit(r.id()) : startExec(r));
  }

  @Override
  public CompletionStage<ExitResponse> waitFor(ProcessRef r) {
    return RpcError.atEdge(() -> process(r).exited.thenApply(p -> p));
  }

  @Override
  public CompletionStage<Void> kill(KillRequest r) {
    return RpcError.atEdge(() -> killProcess(r));
  }

  @Override
  public CompletionStage<Void> resizePty(ResizePtyRequest r) {
    return RpcError.atEdge(() -> {
      resize(r);
      return CompletableFuture.completedFuture(null);
    });
  }

  @Override
  public CompletionStage<Void> closeIo(ProcessRef r) {
    return RpcError.atEdge(() -> {
      ExecProcess p = process(r);
      p.closeStdin();
      return CompletableFuture.completedFuture(null);
    });
  }

  @Override
  public CompletionStage<ExitResponse> delete(ProcessRef r) {
    return RpcError.atEdge(() -> r.execId().isEmpty() ? deleteTask(r.id()) : deleteProcess(r));
  }

  @Override
  public CompletionStage<StateResponse> state(ProcessRef r) {
    return RpcError.atEdge(() -> CompletableFuture.completedFuture(stateOf(r)));
  }

  @Override
  public CompletionStage<Void> shutdown(String id) {
    return RpcError.atEdge(() -> {
      boolean empty;
      synchronized (this) {
        empty = containers.isEmpty();
      }
      // the shim exits once it serves no container, after answering
      if (empty) {
        node.scheduler().execute(this::exit);
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  // ---- init process

  private CompletionStage<StartResponse> createTask(CreateTaskRequest r) {
    synchronized (this) {
      if (containers.containsKey(r.id())) {
        throw GoError.of("id " + r.id(), Errdefs.ALREADY_EXISTS);
      }
    }
    String pidFile = r.bundle() + "/init.pid";
    return goRunc.run(List.of("create", "--bundle", r.bundle(), "--pid-file", pidFile, r.id()),
        Streams.empty(), Streams.discard(), Streams.discard(), r.bundle(), "OCI runtime create failed")
        .thenApply(ok -> {
          int pid = readPid(pidFile);
          TaskContainer c = new TaskContainer(r.id(), r.bundle());
          c.init = new ExecProcess(c, "", pid);
          // TODO: the init's output does not reach its FIFOs; only their paths are kept, for State
          c.init.stdio = new Stdio(r.terminal(), r.stdin(), r.stdout(), r.stderr());
          synchronized (this) {
            containers.put(r.id(), c);
          }
          node.processes().reap(pid).thenAccept(s -> initExited(c, s));
          return new StartResponse(pid);
        });
  }

  private CompletionStage<StartResponse> startInit(String id) {
    TaskContainer c = container(id);
    return goRunc.run(List.of("start", id), Streams.empty(), Streams.discard(), Streams.discard(), c.bundle,
        "OCI runtime start failed").thenApply(ok -> {
          c.state = InitState.RUNNING;
          return new StartResponse(c.init.pid);
        });
  }

  private void initExited(TaskContainer c, ExitStatus status) {
    c.state = InitState.STOPPED;
    c.init.setExited(status, node.scheduler().now());
    node.trace().record(Hop.SHIM, Phase.PROCESS_EXITED, "task exit id=" + c.id + " status=" + status.status());
  }

  private CompletionStage<Void> setPaused(String id, boolean pause) {
    TaskContainer c = container(id);
    if (pause && c.state != InitState.RUNNING) {
      throw GoError.of("cannot pause task in " + c.state.label + " state", Errdefs.FAILED_PRECONDITION);
    }
    return goRunc.run(List.of(pause ? "pause" : "resume", id), Streams.empty(), Streams.discard(),
        Streams.discard(), c.bundle, pause ? "OCI runtime pause failed" : "OCI runtime resume failed")
        .thenRun(() -> c.state = pause ? InitState.PAUSED : InitState.RUNNING);
  }

  // ---- exec processes

  private CompletionStage<Void> addExec(ExecProcessRequest r) {
    TaskContainer c;
    synchronized (this) {
      c = containers.get(r.id());
    }
    if (c == null) {
      throw GoError.of("container not created", Errdefs.NOT_FOUND);
    }
    if (c.execs.containsKey(r.execId())) {
      throw GoError.of("id " + r.execId(), Errdefs.ALREADY_EXISTS);
    }
    // containerd process/init_state.go: the init's state decides whether an exec may be added
    switch (c.state) {
      case PAUSED -> throw GoError.of("cannot exec in a paused state");
      case STOPPED -> throw GoError.of("cannot exec in a stopped state");
      default -> {
        // created and running accept execs
      }
    }
    ExecProcess p = new ExecProcess(c, r.execId(), 0);
    p.request = r;
    p.stdio = new Stdio(r.terminal(), r.stdin(), r.stdout(), r.stderr());
    c.execs.put(r.execId(), p);
    node.trace().record(Hop.SHIM, Phase.TASK_EXEC, "exec-added id=" + r.id() + " exec=" + r.execId());
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<StartResponse> startExec(ProcessRef ref) {
    ExecProcess p = process(ref);
    switch (p.state) {
      case RUNNING -> throw GoError.of("cannot start a running process");
      case STOPPED -> throw GoError.of("cannot start a stopped process");
      case DELETED -> throw GoError.of("cannot start a deleted process");
      default -> {
        // created: go on
      }
    }
    if (p.container.state == InitState.STOPPED) {
      throw GoError.of("container " + ref.id() + " init process is not running", Errdefs.FAILED_PRECONDITION);
    }
    ExecProcessRequest r = p.request;
    String pidFile = p.container.bundle + "/" + r.execId() + ".pid";
    if (r.terminal()) {
      return startWithConsole(p, r, pidFile);
    }
    ProcessPipes pipes = new ProcessPipes(node, r);
    return goRunc.exec(r.id(), r.spec(), pidFile, pipes, p.container.bundle)
        .whenComplete((ok, e) -> {
          if (e != null) {
            pipes.close(); // runc closed the process's ends already
            p.state = ExecState.STOPPED;
            p.setExited(ExitStatus.exited(255), node.scheduler().now());
          }
        })
        .thenApply(ok -> {
          if (goRunc.dead) {
            // the process runc started has no shim to copy its output or reap it
            throw GoError.of(CLOSED_BY_DEATH);
          }
          pipes.startCopying(p);
          int pid;
          try {
            pid = readPid(pidFile);
          } catch (GoError e) {
            throw GoError.wrap("failed to retrieve OCI runtime exec pid", e);
          }
          return running(p, pid, pipes);
        });
  }

  /**
   * process/exec.go {@code start} with a terminal: the console socket first, then runc with no IO of the shim's, the
   * stdin FIFO, the master (bounded by the 30 s console-setup context), the console copy, the pid file; the socket
   * is closed on the way out, whatever happened.
   */
  private CompletionStage<StartResponse> startWithConsole(ExecProcess p, ExecProcessRequest r, String pidFile) {
    ConsoleSocket socket;
    try {
      socket = ConsoleSocket.newTemp(node, config.tempDir());
    } catch (GoError e) {
      failedToStart(p);
      throw GoError.wrap("failed to create runc console socket", e);
    }
    node.trace().record(Hop.SHIM, Phase.FILE_WRITTEN, "console socket " + socket.path());
    ProcessConsole console = new ProcessConsole(node, r);
    return goRunc.execWithConsole(r.id(), r.spec(), pidFile, socket.path(), p.container.bundle)
        .thenCompose(ok -> {
          console.openStdin();
          return receiveMaster(socket);
        })
        .thenApply(master -> {
          console.start(master);
          int pid;
          try {
            pid = readPid(pidFile);
          } catch (GoError e) {
            throw GoError.wrap("failed to retrieve OCI runtime exec pid", e);
          }
          return running(p, pid, console);
        })
        .whenComplete((ok, e) -> {
          socket.close();
          node.trace().record(Hop.SHIM, Phase.FILE_REMOVED, "console socket " + socket.path());
          if (e != null && p.state == ExecState.CREATED) {
            console.close();
            failedToStart(p);
          }
        });
  }

  /** go-runc's {@code ReceiveMaster}, given up when the console-setup context expires. */
  private CompletionStage<Pty> receiveMaster(ConsoleSocket socket) {
    CompletableFuture<Pty> out = new CompletableFuture<>();
    // TODO: the real Accept has no deadline, so a runtime that never sends the master hangs the exec for good; here
    // the 30 s context that bounds the console setup (process/exec.go) ends the wait with its error
    Scheduler.Cancellable timer = node.scheduler().schedule(CONSOLE_SETUP_TIMEOUT, () -> out.completeExceptionally(
        GoError.wrap("failed to retrieve console master", Errdefs.DEADLINE_EXCEEDED.error())));
    socket.receiveMaster().whenComplete((master, e) -> {
      timer.cancel();
      if (e != null) {
        out.completeExceptionally(GoError.wrap("failed to retrieve console master", GoError.from(e)));
      } else if (!out.complete(master)) {
        master.closeMaster();
      }
    });
    return out;
  }

  private void failedToStart(ExecProcess p) {
    p.state = ExecState.STOPPED;
    p.setExited(ExitStatus.exited(255), node.scheduler().now());
  }

  private StartResponse running(ExecProcess p, int pid, ProcessIo io) {
    ExecProcessRequest r = p.request;
    p.pid = pid;
    p.state = ExecState.RUNNING;
    p.io = io;
    node.processes().reap(pid).thenAccept(s -> {
      p.state = ExecState.STOPPED;
      p.setExited(s, node.scheduler().now());
      node.trace().record(Hop.SHIM, Phase.PROCESS_EXITED, "task exit id=" + r.id() + " exec=" + r.execId()
          + " pid=" + pid + " status=" + s.status());
    });
    node.trace().record(Hop.SHIM, Phase.PROCESS_RUNNING, "exec-started exec=" + r.execId() + " pid=" + pid);
    return new StartResponse(pid);
  }

  private void resize(ResizePtyRequest r) {
    ExecProcess p = process(r.ref());
    boolean stopped = p == p.container.init ? p.container.state == InitState.STOPPED : p.state == ExecState.STOPPED;
    // process/exec_state.go: a stopped process refuses, a running one without a console ignores it
    if (stopped) {
      throw GoError.of("cannot resize a stopped container");
    }
    if (p.state == ExecState.DELETED) {
      throw GoError.of("cannot resize a deleted process");
    }
    if (p.io instanceof ProcessConsole console) {
      // console.WinSize holds uint16s
      console.resize(new TerminalSize(r.width() & 0xffff, r.height() & 0xffff));
    }
  }

  private CompletionStage<Void> killProcess(KillRequest r) {
    ExecProcess p = r.ref().execId().isEmpty() ? container(r.ref().id()).init : process(r.ref());
    if (p.pid == 0) {
      throw GoError.of("process not created", Errdefs.FAILED_PRECONDITION);
    }
    if (p.exited.isDone()) {
      throw GoError.of("process already finished", Errdefs.NOT_FOUND);
    }
    node.processes().get(p.pid).ifPresent(h -> h.signal(r.signal()));
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<ExitResponse> deleteProcess(ProcessRef r) {
    ExecProcess p = process(r);
    if (p.state == ExecState.RUNNING) {
      throw GoError.of("cannot delete a running process");
    }
    ProcessIo io = p.io;
    CompletionStage<Void> drained = io == null
        ? CompletableFuture.completedFuture(null)
        : io.drained(IO_DRAIN_WAIT);
    return drained.thenApply(v -> {
      if (io != null) {
        io.close();
      }
      String pidFile = p.container.bundle + "/" + r.execId() + ".pid";
      try {
        node.fs().remove(pidFile);
      } catch (PathError e) {
        log.debug("exec {}: pid file not removed: {}", r.execId(), e.text());
      }
      p.state = ExecState.DELETED;
      p.container.execs.remove(r.execId());
      node.trace().record(Hop.SHIM, Phase.TASK_DELETE, "exec=" + r.execId());
      return p.exited.getNow(new ExitResponse(p.pid, 255, node.scheduler().now()));
    });
  }

  private CompletionStage<ExitResponse> deleteTask(String id) {
    TaskContainer c = container(id);
    // process/init_state.go: only a created or stopped init can be deleted
    switch (c.state) {
      case RUNNING -> throw GoError.of("cannot delete a running process");
      case PAUSED -> throw GoError.of("cannot delete a paused process");
      default -> {
        // created or stopped: go on
      }
    }
    return goRunc.run(List.of("delete", id), Streams.empty(), Streams.discard(), Streams.discard(), c.bundle,
        "failed to delete task").thenApply(ok -> {
          synchronized (this) {
            containers.remove(id);
          }
          node.trace().record(Hop.SHIM, Phase.TASK_DELETE, "task=" + id);
          return c.init.exited.getNow(new ExitResponse(c.init.pid, 0, node.scheduler().now()));
        });
  }

  private StateResponse stateOf(ProcessRef r) {
    ExecProcess p = process(r);
    TaskStatus status;
    if (p == p.container.init) {
      status = switch (p.container.state) {
        case CREATED -> TaskStatus.CREATED;
        case RUNNING -> TaskStatus.RUNNING;
        case PAUSED -> TaskStatus.PAUSED;
        case STOPPED -> TaskStatus.STOPPED;
      };
    } else {
      status = switch (p.state) {
        case CREATED -> TaskStatus.CREATED;
        case RUNNING -> TaskStatus.RUNNING;
        case STOPPED, DELETED -> TaskStatus.STOPPED;
      };
    }
    Optional<ExitResponse> exit = Optional.ofNullable(p.exited.getNow(null));
    Stdio io = p.stdio;
    return new StateResponse(r.execId().isEmpty() ? r.id() : r.execId(), p.container.bundle, p.pid, status,
        io.stdin(), io.stdout(), io.stderr(), io.terminal(), exit.map(ExitResponse::exitStatus).orElse(0),
        exit.map(ExitResponse::exitedAt));
  }

  // ---- lookups

  private synchronized TaskContainer container(String id) {
    TaskContainer c = containers.get(id);
    if (c == null) {
      throw GoError.of("container not created", Errdefs.NOT_FOUND);
    }
    return c;
  }

  private ExecProcess process(ProcessRef r) {
    TaskContainer c = container(r.id());
    if (r.execId().isEmpty()) {
      return c.init;
    }
    ExecProcess p = c.execs.get(r.execId());
    if (p == null) {
      throw GoError.of("process does not exist " + r.execId(), Errdefs.NOT_FOUND);
    }
    return p;
  }

  private int readPid(String path) {
    String text = new String(node.fs().readFile(path), StandardCharsets.US_ASCII).strip();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw GoError.of("strconv.Atoi: parsing \"" + text + "\": invalid syntax");
    }
  }

  // ---- state

  private enum InitState {
    CREATED("created"), RUNNING("running"), PAUSED("paused"), STOPPED("stopped");

    final String label;

    InitState(String label) {
      this.label = label;
    }
  }

  enum ExecState {
    CREATED, RUNNING, STOPPED, DELETED
  }

  private static final class TaskContainer {
    final String id;
    final String bundle;
    final Map<String, ExecProcess> execs = new LinkedHashMap<>();
    InitState state = InitState.CREATED;
    ExecProcess init;

    TaskContainer(String id, String bundle) {
      this.id = id;
      this.bundle = bundle;
    }
  }

  /** An exec process (or a container's init) as the shim tracks it. */
  static final class ExecProcess {
    final TaskContainer container;
    final String execId;
    final CompletableFuture<ExitResponse> exited = new CompletableFuture<>();
    int pid;
    ExecState state = ExecState.CREATED;
    ExecProcessRequest request;
    Stdio stdio = new Stdio(false, Optional.empty(), Optional.empty(), Optional.empty());
    ProcessIo io;

    ExecProcess(TaskContainer container, String execId, int pid) {
      this.container = container;
      this.execId = execId;
      this.pid = pid;
    }

    void setExited(ExitStatus status, java.time.Instant at) {
      exited.complete(new ExitResponse(pid, status.status(), at));
    }

    void closeStdin() {
      if (io != null) {
        io.closeStdinFifo();
      }
    }
  }

  /** The standard streams of a process, as the shim was given them. */
  record Stdio(boolean terminal, Optional<String> stdin, Optional<String> stdout, Optional<String> stderr) {
  }

  /** go-runc as the shim uses it: command lines, the process temp file, and the runtime-error rule. */
  static final class GoRunc {
    private final Node node;
    private final OciRuntime runc;
    private final ShimConfig config;
    /** Set when the shim died: its deferred clean-ups never run. */
    volatile boolean dead;

    GoRunc(Node node, OciRuntime runc, ShimConfig config) {
      this.node = node;
      this.runc = runc;
      this.config = config;
    }

    private List<String> globals(String bundle) {
      return List.of("--root", config.runtimeRoot() + "/" + config.namespace(), "--log", bundle + "/log.json",
          "--log-format", "json");
    }

    /** Runs a runc command; a failure becomes {@code <what>: <runtime error>}. */
    CompletionStage<Void> run(List<String> args, ByteSource in, ByteSink out, ByteSink err, String bundle,
        String what) {
      List<String> argv = new ArrayList<>(globals(bundle));
      argv.addAll(args);
      return start(new Invocation(argv, config.env(), in, out, err), bundle, what).thenApply(status -> {
        if (status != 0) {
          throw runtimeError(bundle, GoError.wrap("runc did not terminate successfully", new ExitError(status)),
              what);
        }
        return null;
      });
    }

    /** {@code runc exec --process <temp file> --detach --pid-file <file> <id>}, as go-runc's {@code Exec}. */
    CompletionStage<Void> exec(String id, io.execsim.core.oci.ProcessSpec spec, String pidFile, ProcessPipes pipes,
        String bundle) {
      String tempFile;
      try {
        tempFile = writeSpec(spec);
      } catch (GoError e) {
        return CompletableFuture.failedFuture(runtimeError(bundle, e, "OCI runtime exec failed"));
      }
      List<String> args = List.of("exec", "--process", tempFile, "--detach", "--pid-file", pidFile, id);
      return run(args, pipes.runcStdin(), pipes.runcStdout(), pipes.runcStderr(), bundle, "OCI runtime exec failed")
          .whenComplete((ok, e) -> {
            removeQuietly(tempFile);
          });
    }

    /**
     * {@code runc exec --process <temp file> --console-socket <socket> --detach --pid-file <file> <id>}. The shim gives
     * runc no IO of its own then, so go-runc collects runc's combined output and appends it to a failure.
     */
    CompletionStage<Void> execWithConsole(String id, io.execsim.core.oci.ProcessSpec spec, String pidFile,
        String socket, String bundle) {
      String tempFile;
      try {
        tempFile = writeSpec(spec);
      } catch (GoError e) {
        return CompletableFuture.failedFuture(runtimeError(bundle, e, "OCI runtime exec failed"));
      }
      List<String> argv = new ArrayList<>(globals(bundle));
      argv.addAll(List.of("exec", "--process", tempFile, "--console-socket", socket, "--detach", "--pid-file",
          pidFile, id));
      Streams.Collector output = new Streams.Collector(Integer.MAX_VALUE);
      return start(new Invocation(argv, config.env(), Streams.empty(), output, output), bundle,
          "OCI runtime exec failed")
          .thenApply(status -> {
            if (status != 0) {
              GoError failed = GoError.wrap("runc did not terminate successfully", new ExitError(status));
              String data = new String(output.bytes(), StandardCharsets.UTF_8);
              throw runtimeError(bundle, GoError.of(failed.text() + ": " + data), "OCI runtime exec failed");
            }
            return (Void) null;
          })
          .whenComplete((ok, e) -> removeQuietly(tempFile));
    }

    /** Runs the runtime binary; a binary that cannot be started fails as the command's error would. */
    private CompletionStage<Integer> start(Invocation inv, String bundle, String what) {
      CompletionStage<Integer> started;
      try {
        started = runc.invoke(inv);
      } catch (GoError e) {
        started = CompletableFuture.failedFuture(e);
      }
      return started.handle((status, e) -> {
        if (e != null) {
          throw runtimeError(bundle, GoError.from(e), what);
        }
        return status;
      });
    }

    private String writeSpec(io.execsim.core.oci.ProcessSpec spec) {
      byte[] json = SpecJson.encode(spec);
      try (FileHandle f = node.fs().createTemp(config.tempDir(), "runc-process", node.random())) {
        try {
          f.write(json);
        } catch (GoError e) {
          // go-runc returns the encode error; its deferred remove still runs
          removeQuietly(f.name());
          throw e;
        }
        node.trace().record(Hop.SHIM, Phase.PROCESS_SPEC_WRITTEN, f.name() + " " + json.length + " bytes");
        return f.name();
      }
    }

    private void removeQuietly(String path) {
      // a killed shim never gets to its deferred os.Remove
      if (dead) {
        log.debug("temp file {} left behind by the killed shim", path);
        return;
      }
      try {
        node.fs().remove(path);
        node.trace().record(Hop.SHIM, Phase.FILE_REMOVED, path);
      } catch (PathError e) {
        log.debug("temp file {} not removed: {}", path, e.text());
      }
    }

    /**
     * The shim's runtime-error rule: the last error line of the runtime log wins, even a stale one; without one,
     * the go-runc error; when the log cannot be read, both.
     */
    GoError runtimeError(String bundle, GoError cause, String what) {
      String logPath = bundle + "/log.json";
      String last;
      try {
        last = GoStructDecoder.lastErrorMessage(node.fs().readFile(logPath));
      } catch (GoError e) {
        return GoError.wrap(what + ": unable to retrieve OCI runtime error (" + e.text() + ")", cause);
      }
      if (last.isEmpty()) {
        return GoError.wrap(what, cause);
      }
      return GoError.of(what + ": " + last);
    }
  }
}
