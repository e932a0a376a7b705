package io.execsim.cri;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.cri.ExecSyncRequest;
import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.core.cri.RuntimeService;
import io.execsim.core.error.Errdefs;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.node.UnixListener;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.Signal;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.ResizePtyRequest;
import io.execsim.core.task.ShimBinary;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.cri.TaskManager.ShimTask;
import io.execsim.cri.api.ContainerRecord;
import io.execsim.cri.api.ContainerdApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * containerd with its CRI plugin, on one node: the metadata store of containers, the task list of runtime v2 (one
 * shim per container, started through the shim binary and reached over ttrpc), the containers and tasks services on
 * its gRPC socket ({@link ContainerdApi}, what ctr calls), and the exec path of the CRI ({@code execInContainer}),
 * which {@code ExecSync}, the streaming server and tests call. Errors are wrapped as containerd wraps them
 * ({@code failed to exec in container: failed to start exec "<id>": OCI runtime exec failed: ...: unknown}); the
 * CRI calls answer them as gRPC statuses.
 *
 * <p>containerd is also a process: it serves from construction on; {@link #kill} ({@code SIGKILL}) and {@link #stop}
 * ({@code SIGTERM}) close every connection (a client's call in flight fails with {@code Unavailable: transport is
 * closing}); a killed containerd leaves its socket file, so dialing it is refused, a stopped one removes it on its way
 * out. The shims and the containers' processes run on. The CRI execs in flight die with the process: their FIFO ends
 * close, their FIFO directories stay behind (as on a real node), and nothing reports their end; the streaming
 * server, part of the same process, goes down through the {@link #onExit} listeners. {@link #start} serves again
 * with the containers it stored and the tasks whose shims still answer, and tells the {@link #onStart} listeners.
 * {@link #suspend} ({@code SIGSTOP}) holds every call on its socket until {@link #resume}.
 *
 * <p>The CRI plugin's token cache can be broken on purpose: {@link #expireTokens} and {@link #consumeTokens} make the
 * streaming server refuse the outstanding URLs with 404, {@link #fillTokenCache} makes new {@code Exec} calls fail
 * with {@code ResourceExhausted}, and {@link #stallNextCriCall} leaves the next CRI call without an answer, so the
 * kubelet's runtime request timeout ends it.
 *
 * <p>Containers are set up with {@link #runContainer}, standing in for the CRI's sandbox and container calls.
 */
public final class Containerd implements RuntimeService {
  private static final Logger log = LoggerFactory.getLogger(Containerd.class);
  /** How long containerd serves after {@code SIGTERM} before its connections close (measured on the reference). */
  private static final Duration STOP_SERVING_AFTER = Duration.ofSeconds(1);
  /** How long containerd takes to exit after {@code SIGTERM} (measured on the reference). */
  private static final Duration EXIT_AFTER = Duration.ofMillis(2050);

  private final Node node;
  private final ContainerdConfig config;
  private final TaskManager taskManager;
  private final ContainerdServices services;
  private final Map<String, CriContainer> containers = new LinkedHashMap<>();
  private final Map<String, Pending> tokens = new LinkedHashMap<>();
  private final String namespace;
  private final Set<ExecIo> criIo = new LinkedHashSet<>();
  private final List<Runnable> exitListeners = new ArrayList<>();
  private final List<Runnable> startListeners = new ArrayList<>();
  private @Nullable CallServer<ContainerdApi> server;
  private @Nullable UnixListener listener;
  /** containerd's incarnation: CRI execs of an earlier one died with it. */
  private int incarnation;
  private boolean stallNext;

  /**
   * containerd on {@code node}, serving at once; the CRI plugin keeps its containers in {@code namespace};
   * {@code shims} starts a new container's shim.
   */
  public Containerd(Node node, ContainerdConfig config, String namespace, ShimBinary shims) {
    this.node = node;
    this.namespace = namespace;
    this.config = config;
    this.taskManager = new TaskManager(node, config, shims, this::taskExited);
    this.services = new ContainerdServices(node, config, taskManager, this);
    serve();
  }

  // ---- the daemon

  /** containerd's configuration. */
  public ContainerdConfig config() {
    return config;
  }

  /** The containers and tasks services, as a client in the same process would call them. */
  public ContainerdApi api() {
    return services;
  }

  /** Whether containerd runs and serves its socket. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** {@code SIGKILL}: containerd is gone at once; see the class description. */
  public void kill() {
    exit("killed");
  }

  /**
   * {@code SIGTERM}: containerd serves on for a second, then closes its connections (dialing is refused from then
   * on) and exits 2.05 s after the signal, removing its socket file; the stage completes then.
   */
  public CompletionStage<Void> stop() {
    if (!isRunning()) {
      return CompletableFuture.completedFuture(null);
    }
    node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "containerd stopping");
    CompletableFuture<Void> exited = new CompletableFuture<>();
    node.scheduler().schedule(STOP_SERVING_AFTER, () -> exit("stopped"));
    node.scheduler().schedule(EXIT_AFTER, () -> {
      // the gRPC listener's close unlinks the socket on the way out; a killed containerd leaves it
      if (!isRunning() && node.fs().exists(config.address())) {
        node.fs().remove(config.address());
      }
      exited.complete(null);
    });
    return exited;
  }

  /**
   * Starts containerd again: it loads the tasks of the bundles in its state directory, reconnecting to each shim
   * that answers and cleaning up after each that does not, then serves its socket. The stage completes when it
   * serves.
   */
  public CompletionStage<Void> start() {
    if (isRunning()) {
      throw new IllegalStateException("containerd runs already");
    }
    return taskManager.loadExisting(services::runtimeBinary).thenRun(() -> {
      serve();
      watchCriContainers();
      node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "containerd started");
      log.info("containerd started, serving {}", config.address());
      List<Runnable> listeners;
      synchronized (this) {
        listeners = List.copyOf(startListeners);
      }
      listeners.forEach(Runnable::run);
    });
  }

  /** Runs {@code listener} each time containerd exits, killed or stopped, as a part of its process that dies too. */
  public synchronized void onExit(Runnable listener) {
    exitListeners.add(listener);
  }

  /** Runs {@code listener} each time containerd serves again after {@link #start}. */
  public synchronized void onStart(Runnable listener) {
    startListeners.add(listener);
  }

  /** {@code SIGSTOP}: calls on containerd's socket wait, unanswered, until {@link #resume}. */
  public void suspend() {
    CallServer<ContainerdApi> s;
    synchronized (this) {
      s = server;
    }
    if (s != null) {
      // TODO: the streaming server and the copies of running execs go on while containerd is stopped; a real
      // stopped containerd stalls them as well
      s.stop();
      node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "containerd stopped (SIGSTOP)");
    }
  }

  /** {@code SIGCONT}: the calls that waited are handled, in their order. */
  public void resume() {
    CallServer<ContainerdApi> s;
    synchronized (this) {
      s = server;
    }
    if (s != null && s.isStopped()) {
      s.cont();
      node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "containerd continued (SIGCONT)");
    }
  }

  private synchronized void serve() {
    // sys.GetLocalListener: a stale socket file is unlinked before the bind
    node.fs().mkdirAll(Paths.parent(config.address()), 0711);
    if (node.fs().exists(config.address())) {
      node.fs().remove(config.address());
    }
    server = new CallServer<>(node.scheduler(), services);
    listener = node.sockets().serve(config.address(), server);
  }

  private void exit(String how) {
    CallServer<ContainerdApi> s;
    UnixListener l;
    List<ExecIo> orphaned;
    List<Runnable> listeners;
    synchronized (this) {
      s = server;
      l = listener;
      server = null;
      listener = null;
      tokens.clear();
      if (s == null) {
        return;
      }
      incarnation++;
      stallNext = false;
      orphaned = List.copyOf(criIo);
      criIo.clear();
      listeners = List.copyOf(exitListeners);
    }
    s.close();
    if (l != null) {
      l.abandon();
    }
    taskManager.closeAll();
    // the process's file descriptors close with it; the FIFO directories are files and stay
    orphaned.forEach(ExecIo::abandon);
    node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "containerd " + how
        + (orphaned.isEmpty() ? "" : ", " + orphaned.size() + " exec(s) orphaned"));
    log.info("containerd {}", how);
    listeners.forEach(Runnable::run);
  }

  /** The CRI states of a container, as {@code crictl} prints them. */
  public enum ContainerState {
    CONTAINER_CREATED, CONTAINER_RUNNING, CONTAINER_EXITED
  }

  /**
   * Creates and starts the task of container {@code id} from the bundle at {@code bundle} (whose
   * {@code config.json} holds {@code process}); completes once the container runs.
   */
  public CompletionStage<Void> runContainer(String id, String bundle, ProcessSpec process) {
    CriContainer c = new CriContainer(id, process);
    synchronized (this) {
      if (containers.containsKey(id)) {
        throw new IllegalArgumentException("container exists already: " + id);
      }
      containers.put(id, c);
    }
    services.put(namespace, new ContainerRecord(id, process, bundle + "/rootfs", Optional.empty()));
    return taskManager.create(namespace, new CreateTaskRequest(id, bundle), Optional.empty())
        .thenCompose(t -> t.client().call(s -> s.start(new ProcessRef(id, ""))).thenApply(r -> {
          c.state = ContainerState.CONTAINER_RUNNING;
          watch(c, t);
          log.info("container {} running, init pid {}", id, r.pid());
          return null;
        }));
  }

  /** The CRI's exit monitor: a running container becomes exited when its init exits. */
  private void watch(CriContainer c, ShimTask t) {
    t.client().call(s -> s.waitFor(new ProcessRef(c.id, ""))).whenComplete((exit, e) -> {
      if (e == null) {
        c.state = ContainerState.CONTAINER_EXITED;
      }
    });
  }

  /** The CRI's event monitor on {@code TaskExit}: a container of its namespace whose init ended has exited. */
  private void taskExited(String ns, String id, ExitResponse exit) {
    CriContainer c;
    synchronized (this) {
      c = ns.equals(namespace) ? containers.get(id) : null;
    }
    if (c != null && c.state == ContainerState.CONTAINER_RUNNING) {
      log.info("container {} exited with status {}", id, exit.exitStatus());
      c.state = ContainerState.CONTAINER_EXITED;
    }
  }

  private void watchCriContainers() {
    List<CriContainer> all;
    synchronized (this) {
      all = List.copyOf(containers.values());
    }
    for (CriContainer c : all) {
      if (c.state == ContainerState.CONTAINER_RUNNING) {
        Optional<ShimTask> t = taskManager.get(namespace, c.id);
        if (t.isPresent()) {
          watch(c, t.get());
        } else {
          c.state = ContainerState.CONTAINER_EXITED;
        }
      }
    }
  }

  /** The task of a container, as the CRI's {@code container.Task(ctx, nil)} loads it. */
  private ShimTask task(String id) {
    return taskManager.get(namespace, id).orElseThrow(() -> GoError.wrap("no running task found",
        GoError.of("task " + id + " not found", Errdefs.NOT_FOUND)));
  }

  /** The CRI state of container {@code id}, if containerd knows it. */
  public synchronized Optional<ContainerState> state(String id) {
    return Optional.ofNullable(containers.get(id)).map(c -> c.state);
  }

  // ---- CRI

  // A caller in the same process reaches the CRI even while containerd is down; the kubelet reaches it through its
  // socket, and sees Unavailable then.
  @Override
  public CompletionStage<ExecSyncResponse> execSync(ExecSyncRequest r) {
    node.trace().record(Hop.CONTAINERD, Phase.CRI_EXEC_SYNC, "container=" + r.containerId() + " cmd="
        + GoText.slice(r.cmd()));
    if (takeStall()) {
      node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "CRI ExecSync stalled, never answered");
      return new CompletableFuture<>();
    }
    Streams.Collector out = new Streams.Collector(config.execSyncOutputLimit());
    Streams.Collector err = new Streams.Collector(config.execSyncOutputLimit());
    CompletionStage<Integer> exit;
    try {
      exit = execInContainer(r.containerId(), r.cmd(), ExecStreams.output(out, err), r.timeout());
    } catch (GoError e) {
      exit = CompletableFuture.failedFuture(e);
    }
    CompletionStage<Integer> exited = exit;
    return RpcError.atEdge(() -> exited.handle((code, e) -> {
      if (e != null) {
        throw GoError.wrap("failed to exec in container", GoError.from(e));
      }
      return new ExecSyncResponse(out.bytes(), err.bytes(), code);
    }));
  }

  @Override
  public CompletionStage<ExecResponse> exec(ExecRequest r) {
    node.trace().record(Hop.CONTAINERD, Phase.CRI_EXEC, "container=" + r.containerId() + " cmd="
        + GoText.slice(r.cmd()));
    if (takeStall()) {
      node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "CRI Exec stalled, never answered");
      return new CompletableFuture<>();
    }
    // the streaming server's request checks come first, as InvalidArgument
    if (r.containerId().isEmpty()) {
      return invalid("missing required container_id");
    }
    if (r.tty() && r.stderr()) {
      return invalid("tty and stderr cannot both be true");
    }
    if (!r.stdin() && !r.stdout() && !r.stderr()) {
      return invalid("one of stdin, stdout, or stderr must be set");
    }
    CriContainer c;
    try {
      c = running(r.containerId());
    } catch (GoError e) {
      return CompletableFuture.failedFuture(RpcError.toGrpc(e));
    }
    synchronized (this) {
      dropExpired();
      if (tokens.size() >= config.maxInFlight()) {
        return CompletableFuture.failedFuture(
            RpcError.of(RpcCode.RESOURCE_EXHAUSTED, "maximum number of in-flight requests exceeded"));
      }
      String token = node.random().base64Url(6);
      tokens.put(token, new Pending(Optional.of(r), node.scheduler().now().plus(config.tokenTtl())));
      node.trace().record(Hop.CONTAINERD, Phase.TOKEN_ISSUED, "token=" + token + " container=" + c.id);
      String url = "http://" + config.streamAddress() + ":" + config.streamPort() + "/exec/" + token;
      return CompletableFuture.completedFuture(new ExecResponse(url));
    }
  }

  /** Takes the pending exec of a streaming token: once only, and only within its time to live. */
  public synchronized Optional<ExecRequest> redeem(String token) {
    dropExpired();
    Pending p = tokens.remove(token);
    return Optional.ofNullable(p).filter(e -> e.request.isPresent()).flatMap(Pending::request);
  }

  /** The streaming tokens issued and neither used nor expired, oldest first. */
  public synchronized List<String> pendingTokens() {
    dropExpired();
    return List.copyOf(tokens.keySet());
  }

  /**
   * Every outstanding streaming URL expires now, as if its minute had passed before the client came: the streaming
   * server answers the kubelet's request with {@code 404 page not found}.
   */
  public synchronized void expireTokens() {
    node.trace().record(Hop.STREAMING, Phase.FAULT_FIRED, tokens.size() + " token(s) expired");
    tokens.clear();
  }

  /**
   * Every outstanding streaming URL is used now, as by another client that came first: the streaming server
   * answers the kubelet's own request with {@code 404 page not found}.
   */
  public void consumeTokens() {
    List<String> all = pendingTokens();
    all.forEach(this::redeem);
    node.trace().record(Hop.STREAMING, Phase.FAULT_FIRED, all.size() + " token(s) used by another client");
  }

  /**
   * Fills the token cache up to its limit with URLs nobody redeems, as a flood of execs whose clients never came
   * would: CRI {@code Exec} fails with {@code ResourceExhausted: maximum number of in-flight requests exceeded}
   * until they expire, a minute later, or {@link #drainTokenCache} drops them.
   */
  public synchronized void fillTokenCache() {
    dropExpired();
    Instant expires = node.scheduler().now().plus(config.tokenTtl());
    int added = 0;
    while (tokens.size() < config.maxInFlight()) {
      tokens.put(node.random().base64Url(6), new Pending(Optional.empty(), expires));
      added++;
    }
    node.trace().record(Hop.STREAMING, Phase.FAULT_FIRED, "token cache filled with " + added + " unused token(s)");
  }

  /** Drops the unused URLs of {@link #fillTokenCache}; the other outstanding ones stay. */
  public synchronized void drainTokenCache() {
    tokens.values().removeIf(p -> p.request.isEmpty());
  }

  /**
   * The next CRI call ({@code Exec} or {@code ExecSync}) gets no answer, as when containerd is stuck on a lock: the
   * kubelet gives up at its runtime request timeout with {@code DeadlineExceeded}.
   */
  public synchronized void stallNextCriCall() {
    stallNext = true;
  }

  /** Takes back a {@link #stallNextCriCall} that no call has met yet. */
  public synchronized void stopStallingCriCalls() {
    stallNext = false;
  }

  private synchronized boolean takeStall() {
    boolean s = stallNext;
    stallNext = false;
    return s;
  }

  private void dropExpired() {
    Instant now = node.scheduler().now();
    tokens.values().removeIf(p -> !p.expires.isAfter(now));
  }

  /** A pending exec of the token cache; one without a request stands for a flood's unused URL. */
  private record Pending(Optional<ExecRequest> request, Instant expires) {
  }

  private static <T> CompletionStage<T> invalid(String text) {
    return CompletableFuture.failedFuture(RpcError.of(RpcCode.INVALID_ARGUMENT, text));
  }

  /**
   * The streaming runtime's {@code Exec}: runs {@code cmd} with the client's streams, and with a terminal resizes it
   * to each size the client sends. Completes normally on exit code 0; fails with {@link CodeExitError} on another
   * code, or with {@code failed to exec in container: ...}.
   */
  public CompletionStage<Void> streamExec(String containerId, List<String> cmd, ExecStreams streams) {
    CompletionStage<Integer> exit;
    try {
      exit = execInContainer(containerId, cmd, streams, Duration.ZERO);
    } catch (GoError e) {
      exit = CompletableFuture.failedFuture(e);
    }
    return exit.handle((code, e) -> {
      if (e != null) {
        throw GoError.wrap("failed to exec in container", GoError.from(e));
      }
      if (code != 0) {
        throw new CodeExitError(cmd, code);
      }
      return null;
    });
  }

  /**
   * containerd's {@code execInContainer}: checks that the container runs, then runs {@code cmd} in it with the
   * given streams and completes with its exit code. A positive {@code timeout} kills the process when it passes.
   */
  public CompletionStage<Integer> execInContainer(String containerId, List<String> cmd, ExecStreams streams,
      Duration timeout) {
    CriContainer c = running(containerId);
    return execInternal(c, cmd, streams, timeout);
  }

  private synchronized CriContainer running(String id) {
    CriContainer c = containers.get(id);
    if (c == null) {
      throw GoError.wrap("failed to find container " + GoText.quote(id) + " in store", Errdefs.NOT_FOUND.error());
    }
    if (c.state != ContainerState.CONTAINER_RUNNING) {
      throw GoError.of("container is in " + c.state + " state");
    }
    return c;
  }

  private CompletionStage<Integer> execInternal(CriContainer c, List<String> cmd, ExecStreams streams,
      Duration timeout) {
    List<String> env = new ArrayList<>(c.process.env());
    if (streams.tty()) {
      env.add("TERM=xterm");
    }
    ProcessSpec spec = c.process.withTerminal(streams.tty()).withArgs(cmd).withEnv(env);
    return runExec(c, node.random().hex(32), spec, streams, timeout, true);
  }

  /**
   * What {@code ctr task exec --exec-id <execId> <id>} does through containerd's client: runs {@code spec} in the
   * container's task whatever the CRI thinks of the container, and fails with the client's errors unwrapped, as
   * {@code ctr} prints them after {@code "ctr: "}.
   */
  public CompletionStage<Integer> taskExec(String containerId, String execId, ProcessSpec spec,
      ExecStreams streams) {
    CriContainer c;
    synchronized (this) {
      c = containers.get(containerId);
    }
    if (c == null) {
      return CompletableFuture.failedFuture(GoError.of("container " + GoText.quote(containerId) + " in namespace "
          + GoText.quote(namespace), Errdefs.NOT_FOUND));
    }
    return runExec(c, execId, spec.withTerminal(streams.tty()), streams, Duration.ZERO, false);
  }

  private CompletionStage<Integer> runExec(CriContainer c, String execId, ProcessSpec spec, ExecStreams streams,
      Duration timeout, boolean criWrapping) {
    // an exec of the CRI plugin lives in containerd's process and dies with it; ctr's is the client's
    int at = incarnation();
    BooleanSupplier gone = () -> criWrapping && at != incarnation();
    TaskClient task;
    try {
      task = task(c.id).client();
    } catch (GoError e) {
      return CompletableFuture.failedFuture(criWrapping ? GoError.wrap("failed to load task", e) : e);
    }
    String quoted = GoText.quote(execId);
    ProcessRef ref = new ProcessRef(c.id, execId);
    ExecIo io;
    try {
      io = ExecIo.create(node, config.criStateDir() + "/containers/" + c.id + "/io", execId, streams.tty(),
          streams.stdin().isPresent());
    } catch (GoError e) {
      return CompletableFuture.failedFuture(criWrapping ? GoError.wrap("failed to create exec " + quoted, e) : e);
    }
    if (criWrapping) {
      synchronized (this) {
        criIo.add(io);
      }
    }
    node.trace().record(Hop.CONTAINERD, Phase.FIFOS_CREATED, "exec=" + execId + " dir=" + io.dir());
    node.trace().record(Hop.CONTAINERD, Phase.TASK_EXEC, "container=" + c.id + " exec=" + execId);
    ExecProcessRequest request = new ExecProcessRequest(c.id, execId, streams.tty(), io.stdinPath(),
        io.stdoutPath(), io.stderrPath(), spec);
    CompletableFuture<Integer> result = new CompletableFuture<>();
    task.call(t -> t.exec(request)).whenComplete((created, createError) -> {
      if (gone.getAsBoolean()) {
        return;
      }
      if (createError != null) {
        closeIo(io);
        GoError e = GoError.from(createError);
        result.completeExceptionally(criWrapping ? GoError.wrap("failed to create exec " + quoted, e) : e);
        return;
      }
      // Wait is issued before Start, so an exit right after the start is not missed
      CompletableFuture<ExitResponse> exit = task.call(t -> t.waitFor(ref)).toCompletableFuture();
      task.call(t -> t.start(ref)).whenComplete((started, startError) -> {
        if (gone.getAsBoolean()) {
          return;
        }
        if (startError != null) {
          finish(task, ref, io, result, gone, () -> {
            GoError e = GoError.from(startError);
            throw criWrapping ? GoError.wrap("failed to start exec " + quoted, e) : e;
          });
          return;
        }
        handleResizing(task, c, ref, streams.resize(), result, gone);
        CompletionStage<Void> attached = io.attach(streams, () -> gone.getAsBoolean()
            ? CompletableFuture.completedFuture(null) : task.call(t -> t.closeIo(ref)));
        AtomicBoolean timedOut = new AtomicBoolean();
        Scheduler.Cancellable timer = timeout.isZero() ? () -> { } : node.scheduler().schedule(timeout, () -> {
          if (!gone.getAsBoolean()) {
            timedOut.set(true);
            task.call(t -> t.kill(new KillRequest(ref, Signal.SIGKILL)));
          }
        });
        exit.whenComplete((res, waitError) -> {
          timer.cancel();
          if (gone.getAsBoolean()) {
            return;
          }
          if (waitError != null) {
            finish(task, ref, io, result, gone, () -> {
              GoError e = GoError.from(waitError);
              throw criWrapping ? GoError.wrap("failed while waiting for exec " + quoted, e) : e;
            });
            return;
          }
          attached.whenComplete((v, e) -> finish(task, ref, io, result, gone, () -> {
            if (timedOut.get()) {
              throw GoError.wrap("timeout " + GoText.duration(timeout) + " exceeded",
                  Errdefs.DEADLINE_EXCEEDED.error());
            }
            node.trace().record(Hop.CONTAINERD, Phase.PROCESS_EXITED, "exec=" + execId + " status="
                + res.exitStatus());
            return res.exitStatus();
          }));
        });
      });
    });
    return result;
  }

  /**
   * containerd's {@code handleResizing}, started once the exec runs: each size the client sends becomes a
   * {@code ResizePty}, one after the other; a size with a side below 1 is dropped, a failed resize is logged, and the
   * loop ends with the sizes or with the exec.
   */
  private void handleResizing(TaskClient task, CriContainer c, ProcessRef ref, Optional<TerminalSizeQueue> sizes,
      CompletableFuture<Integer> exec, BooleanSupplier gone) {
    sizes.ifPresent(q -> nextResize(task, c, ref, q, exec, gone));
  }

  private void nextResize(TaskClient task, CriContainer c, ProcessRef ref, TerminalSizeQueue sizes,
      CompletableFuture<Integer> exec, BooleanSupplier gone) {
    sizes.next().whenComplete((size, e) -> {
      if (e != null || size.isEmpty() || exec.isDone() || gone.getAsBoolean()) {
        return;
      }
      TerminalSize s = size.get();
      if (s.width() < 1 || s.height() < 1) {
        node.scheduler().execute(() -> nextResize(task, c, ref, sizes, exec, gone));
        return;
      }
      task.call(t -> t.resizePty(new ResizePtyRequest(ref, s.width(), s.height()))).whenComplete((ok, err) -> {
        if (err != null) {
          log.warn("exec {}: failed to resize process console for container {}: {}", ref.execId(), c.id,
              GoError.from(err).text());
        } else {
          log.debug("exec {}: console resized to {}x{}", ref.execId(), s.width(), s.height());
        }
        nextResize(task, c, ref, sizes, exec, gone);
      });
    });
  }

  /**
   * The deferred {@code Delete(WithProcessKill)}, then the IO's close, then the exec's result; nothing once
   * containerd has died under the exec.
   */
  private void finish(TaskClient task, ProcessRef ref, ExecIo io, CompletableFuture<Integer> result,
      BooleanSupplier gone, Supplier<Integer> outcome) {
    task.call(t -> t.kill(new KillRequest(ref, Signal.SIGKILL)))
        .handle((v, e) -> null)
        .thenCompose(v -> task.call(t -> t.delete(ref)).handle((d, e) -> {
          if (e != null) {
            log.debug("exec {}: delete failed: {}", ref.execId(), GoError.from(e).text());
          }
          return null;
        }))
        .whenComplete((v, e) -> {
          if (gone.getAsBoolean()) {
            return;
          }
          try {
            closeIo(io);
          } catch (RuntimeException err) {
            // a deferred cleanup's error is logged in containerd, never returned in place of the exec's result
            log.warn("exec {}: closing its IO failed", ref.execId(), err);
          }
          node.trace().record(Hop.CONTAINERD, Phase.TASK_DELETE, "exec=" + ref.execId());
          try {
            result.complete(outcome.get());
          } catch (GoError err) {
            node.trace().record(Hop.CONTAINERD, Phase.EXEC_FAILED, err.text());
            result.completeExceptionally(err);
          }
        });
  }

  private void closeIo(ExecIo io) {
    synchronized (this) {
      criIo.remove(io);
    }
    io.close();
  }

  private synchronized int incarnation() {
    return incarnation;
  }

  private static final class CriContainer {
    final String id;
    final ProcessSpec process;
    volatile ContainerState state = ContainerState.CONTAINER_CREATED;

    CriContainer(String id, ProcessSpec process) {
      this.id = id;
      this.process = process;
    }
  }
}
