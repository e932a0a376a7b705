package io.execsim.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.execsim.core.cri.ExecSyncRequest;
import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fault.RuncEffect;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.FileType;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.fs.MountUsage;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.Streams;
import io.execsim.core.net.ByteWay;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import io.execsim.core.oci.DelayedRuntime;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.OciRuntime;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.process.Signal;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.rpc.CallLinkHandle;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.RealtimeScheduler;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.cri.Containerd;
import io.execsim.cri.ContainerdConfig;
import io.execsim.cri.ExecStreams;
import io.execsim.cri.ctr.Ctr;
import io.execsim.runc.ProgramRegistry;
import io.execsim.runc.Runc;
import io.execsim.runc.programs.BuiltinPrograms;
import io.execsim.shim.RuncShimBinary;
import io.execsim.shim.Shim;
import io.execsim.shim.ShimConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated node with the runtime half of the exec chain: containerd with its CRI plugin, a runc shim per
 * container, runc (and any other OCI runtime binary a test installs), {@code ctr}, and containers running programs.
 * Everything runs in virtual time on the calling thread; each method that answers a result drives the simulation
 * until the result is there.
 *
 * <p>Faults of the runtime's processes: a container's shim can be killed, stopped and continued, containerd killed,
 * stopped and started again; a container stopped, paused and resumed; a mount filled and freed.
 *
 * <p>The node keeps what it knows of each {@code runc exec} its shims invoked (the exec's id, container, arguments
 * and started process), the ground truth of an exec's outcome ({@link SimExec}).
 *
 * <p>The same seed and the same calls give the same trace, byte for byte.
 */
public final class SimNode implements AutoCloseable {
  /** How long {@link #close} lets the simulation run on. */
  private static final Duration CLOSE_LIMIT = Duration.ofHours(5);
  private static final Logger log = LoggerFactory.getLogger(SimNode.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The name of runc as a runtime binary; {@code /usr/bin/runc} is the same. */
  private static final String RUNC = "runc";
  /** The median time of {@code runc exec} on the reference machine, spent before the process runs in real time. */
  private static final Duration REALTIME_EXEC_START = Duration.ofMillis(20);

  private final Scheduler scheduler;
  private final Node node;
  private final ProgramRegistry programs = new ProgramRegistry();
  private final Runc runc;
  private final Map<String, OciRuntime> runtimes = new LinkedHashMap<>();
  private final ShimConfig shimConfig;
  private final RuncShimBinary shims;
  private final Containerd containerd;
  private final Ctr ctr;
  private final Map<String, MountSpec> original = new LinkedHashMap<>();
  private final List<RuncExec> runcExecs = new ArrayList<>();

  private SimNode(Builder b) {
    this(b, new DeterministicScheduler(), null, null);
  }

  /** A node on a scheduler, random source and trace shared with the rest of a cluster. */
  SimNode(Builder b, Scheduler scheduler, @Nullable SimRandom random, @Nullable Trace trace) {
    this.scheduler = scheduler;
    this.node = new Node(b.name, scheduler, random != null ? random : new SimRandom(b.seed),
        trace != null ? trace : new Trace(scheduler));
    NodeFileSystem fs = node.fs();
    fs.mount("/run", MountSpec.unlimited());
    fs.mount("/tmp", b.tmp);
    b.mounts.forEach(fs::mount);
    fs.mkdirAll("/var/lib/containerd", 0711);
    programs.registerAll(BuiltinPrograms.all());
    programs.register("pause", ctx -> new CompletableFuture<>());
    this.runc = new Runc(node, programs);
    OciRuntime defaultRuntime = runc;
    if (scheduler instanceof RealtimeScheduler) {
      // a real runc exec takes about 20 ms before the process runs; real clients race against that (client-go's
      // WebSocket client drops output that arrives before it has registered its streams), so in real time the
      // simulated one takes as long
      defaultRuntime = new DelayedRuntime(runc, scheduler, "exec", REALTIME_EXEC_START);
    }
    OciRuntime recorded = recording(defaultRuntime);
    runtimes.put(RUNC, recorded);
    runtimes.put("/usr/bin/" + RUNC, recorded);
    ShimConfig defaults = ShimConfig.defaults();
    this.shimConfig = new ShimConfig(defaults.namespace(), defaults.runtimeRoot(), b.containerd.taskDir(),
        b.shimEnv);
    this.shims = new RuncShimBinary(node, this::findRuntime, shimConfig);
    this.containerd = new Containerd(node, b.containerd, shimConfig.namespace(), shims);
    this.ctr = new Ctr(node);
    log.info("node {} up, seed {}", b.name, b.seed);
  }

  /** A builder of a node with seed 1, named {@code node-1}, with a 64 MiB {@code /tmp}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SimNode}s. */
  public static final class Builder {
    private long seed = 1;
    private String name = "node-1";
    private MountSpec tmp = MountSpec.tmpfs(64L << 20, 4096);
    private Map<String, String> shimEnv = Map.of();
    private final Map<String, MountSpec> mounts = new LinkedHashMap<>();
    private ContainerdConfig containerd = ContainerdConfig.defaults(10010);

    Builder() {
    }

    /** containerd's configuration, e.g. its streaming port, its state directory and its socket. */
    public Builder containerd(ContainerdConfig value) {
      containerd = value;
      return this;
    }

    /** An extra mount of the node's file system, e.g. a small tmpfs under containerd's state directory. */
    public Builder mount(String path, MountSpec spec) {
      mounts.put(path, spec);
      return this;
    }

    /** The seed of every random choice. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** The node's name. */
    public Builder name(String value) {
      name = value;
      return this;
    }

    /** The limits of the node's {@code /tmp}, where the shim writes its temp files by default. */
    public Builder tmp(MountSpec value) {
      tmp = value;
      return this;
    }

    /** The shim's environment ({@code TMPDIR}, {@code XDG_RUNTIME_DIR}). */
    public Builder shimEnv(Map<String, String> value) {
      shimEnv = Map.copyOf(value);
      return this;
    }

    /** The node. */
    public SimNode build() {
      return new SimNode(this);
    }
  }

  /** Creates container {@code id} from {@code image} and starts it, as the CRI would for a pod's container. */
  public void runContainer(String id, ContainerImage image) {
    scheduler.await(runContainerLater(id, image));
  }

  /** As {@link #runContainer}, without waiting: the stage completes when the container runs. */
  CompletionStage<Void> runContainerLater(String id, ContainerImage image) {
    String bundle = shimConfig.bundle(id);
    ProcessSpec process = ProcessSpec.of(image.command(), image.env()).withCwd(image.cwd());
    createBundle(bundle, image, process);
    return containerd.runContainer(id, bundle, process);
  }

  /**
   * Completes when the init process of container {@code id}, running now, ends (killed, stopped, or its shim gone):
   * the event a kubelet learns of the container's end from.
   */
  CompletionStage<ExitStatus> containerEnded(String id) {
    return node.processes().running().stream().filter(p -> p.containerId().equals(id))
        .min(Comparator.comparingInt(ProcessHandle::pid))
        .map(ProcessHandle::exit)
        .orElseThrow(() -> new IllegalStateException("no process runs in container " + id));
  }

  /**
   * Lays {@code image} out in the node's directory {@code dir} as a root file system: the usual directories, its
   * files, and its programs as executables (its Java programs registered with the node).
   */
  public void installImage(String dir, ContainerImage image) {
    node.fs().mkdirAll(dir, 0755);
    FileSystemView root = node.fs().view(dir);
    for (String d : List.of("/bin", "/etc", "/tmp", "/proc", "/dev", "/root")) {
      root.mkdirAll(d, 0755);
    }
    image.programs().forEach((path, name) -> ProgramRegistry.install(root, path, name));
    programs.registerAll(image.userPrograms());
    image.files().forEach((path, f) -> {
      root.mkdirAll(Paths.parent(path), 0755);
      root.writeFile(path, f.content(), f.mode());
    });
  }

  /**
   * Makes an OCI bundle at {@code dir} for runc: {@code image} as its {@code rootfs} and a {@code config.json}
   * whose process is {@code process}.
   */
  public void createBundle(String dir, ContainerImage image, ProcessSpec process) {
    installImage(dir + "/rootfs", image);
    node.fs().writeFile(dir + "/config.json", configJson(process), 0644);
  }

  private static byte[] configJson(ProcessSpec process) {
    ObjectNode config = JSON.createObjectNode();
    config.put("ociVersion", "1.0.2");
    config.set("process", JSON.valueToTree(process));
    config.putObject("root").put("path", "rootfs");
    try {
      return JSON.writeValueAsBytes(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config.json must serialize", e);
    }
  }

  /** CRI {@code ExecSync} without a timeout; a failure throws the gRPC status the kubelet would get. */
  public ExecSyncResponse execSync(String containerId, String... cmd) {
    return execSync(containerId, Duration.ZERO, List.of(cmd));
  }

  /** CRI {@code ExecSync}; a failure throws the gRPC status the kubelet would get. */
  public ExecSyncResponse execSync(String containerId, Duration timeout, List<String> cmd) {
    return scheduler.await(containerd.execSync(new ExecSyncRequest(containerId, cmd, timeout)));
  }

  /**
   * The streaming exec path with {@code stdin} as the client's input, as the streaming server would run it. The
   * result's exit code is 0, the command's code, or 1 with the runtime's error text on standard error.
   */
  public CommandResult streamExec(String containerId, byte @Nullable [] stdin, String... cmd) {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    Streams.Collector err = new Streams.Collector(Integer.MAX_VALUE);
    ExecStreams streams = stdin == null
        ? ExecStreams.output(out, err)
        : ExecStreams.withInput(Streams.of(stdin), out, err);
    try {
      int code = scheduler.await(containerd.execInContainer(containerId, List.of(cmd), streams, Duration.ZERO));
      return new CommandResult(out.bytes(), err.bytes(), code);
    } catch (GoError e) {
      return new CommandResult(out.bytes(), concat(err.bytes(), e.text() + "\n"), 1);
    }
  }

  /**
   * {@code ctr task exec --exec-id <execId> <containerId> <args>} with the container's default process: what ctr
   * prints and returns ({@code ctr: <error>} and 1 on failure).
   */
  public CommandResult ctrExec(String containerId, String execId, ProcessSpec spec) {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    Streams.Collector err = new Streams.Collector(Integer.MAX_VALUE);
    try {
      int code = scheduler.await(containerd.taskExec(containerId, execId, spec, ExecStreams.output(out, err)));
      return new CommandResult(out.bytes(), err.bytes(), code);
    } catch (GoError e) {
      return new CommandResult(out.bytes(), concat(err.bytes(), "ctr: " + e.text() + "\n"), 1);
    }
  }

  /**
   * {@code ctr task exec --tty --exec-id <execId> <containerId> <args>} from a terminal that reports {@code sizes}
   * (the initial size first) and on which nothing is typed: what the terminal shows, and what ctr returns.
   */
  public CommandResult ctrExecTty(String containerId, String execId, ProcessSpec spec, TerminalSizeQueue sizes) {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    ExecStreams terminal = ExecStreams.terminal(Optional.of(Streams.idle()), out, sizes);
    try {
      int code = scheduler.await(containerd.taskExec(containerId, execId, spec, terminal));
      return new CommandResult(out.bytes(), new byte[0], code);
    } catch (GoError e) {
      return new CommandResult(out.bytes(), ("ctr: " + e.text() + "\n").getBytes(StandardCharsets.UTF_8), 1);
    }
  }

  /** The {@code ctr} of this node, to start commands that run on while the simulation goes on. */
  public Ctr ctrTool() {
    return ctr;
  }

  /**
   * Runs {@code ctr <args>} (containerd's socket and the {@code default} namespace unless the arguments say
   * otherwise) without input until it ends: what it prints and returns.
   */
  public CommandResult ctr(String... args) {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    Streams.Collector err = new Streams.Collector(Integer.MAX_VALUE);
    List<String> argv = new ArrayList<>(List.of("--address", containerd.config().address()));
    argv.addAll(Arrays.asList(args));
    Ctr.Running running = ctr.start(argv, Map.of(), Streams.empty(), out, err);
    int code = scheduler.await(running.exit());
    return new CommandResult(out.bytes(), err.bytes(), code);
  }

  /**
   * Installs an OCI runtime binary at {@code path}, which a container can name as its runtime
   * ({@code ctr run --runc-binary <path>}); e.g. a {@link DelayedRuntime} around
   * {@link #runcBinary()}. The node's file system gets an executable at that path.
   */
  public void installRuntime(String path, OciRuntime runtime) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a runtime binary's path must be absolute: " + path);
    }
    node.fs().mkdirAll(Paths.parent(path), 0755);
    node.fs().writeFile(path, ("#!/bin/sh\n# an OCI runtime of the simulation\nexec runc \"$@\"\n")
        .getBytes(StandardCharsets.UTF_8), 0755);
    synchronized (runtimes) {
      runtimes.put(path, runtime);
    }
  }

  /**
   * {@code runtime} with each {@code runc exec} noted: before runc runs, its exec id, container and the arguments of
   * its process spec; when it returns with success, the process whose pid it wrote.
   */
  private OciRuntime recording(OciRuntime runtime) {
    return inv -> {
      Optional<RuncExec> rec = parseExec(inv.args());
      if (rec.isEmpty()) {
        return runtime.invoke(inv);
      }
      synchronized (runcExecs) {
        runcExecs.add(rec.get());
      }
      String pidFile = flag(inv.args(), "--pid-file").orElse("");
      return runtime.invoke(inv).whenComplete((code, e) -> {
        ProcessHandle started = null;
        if (e == null && code == 0 && !pidFile.isEmpty() && node.fs().exists(pidFile)) {
          try {
            int pid = Integer.parseInt(new String(node.fs().readFile(pidFile), StandardCharsets.US_ASCII).strip());
            started = node.processes().get(pid).orElse(null);
          } catch (NumberFormatException | GoError bad) {
            log.debug("exec {}: unreadable pid file {}", rec.get().execId(), pidFile);
          }
        }
        if (started == null && !pidFile.isEmpty()) {
          // runc had started the process when its pid file failed, and killed it
          started = runc.killedAtStart(pidFile).orElse(null);
        }
        rec.get().returned(started);
      });
    };
  }

  /** The exec of {@code runc [globals] exec --pid-file <dir>/<execID>.pid [--process F] ... <container>}. */
  private Optional<RuncExec> parseExec(List<String> args) {
    int at = args.indexOf("exec");
    Optional<String> pidFile = flag(args, "--pid-file");
    if (at < 0 || pidFile.isEmpty()) {
      return Optional.empty();
    }
    Set<String> valued = Set.of("--process", "-p", "--console-socket", "--cwd", "--env", "-e", "--pid-file",
        "--user", "-u", "--cap", "--process-label", "--apparmor", "--preserve-fds", "--cgroup");
    int i = at + 1;
    while (i < args.size() && args.get(i).startsWith("-")) {
      i += valued.contains(args.get(i)) ? 2 : 1;
    }
    if (i >= args.size()) {
      return Optional.empty();
    }
    String execId = Paths.base(pidFile.get()).replaceFirst("\\.pid$", "");
    List<String> processArgs = flag(args, "--process").map(this::specArgs).orElse(args.subList(i + 1, args.size()));
    return Optional.of(new RuncExec(execId, args.get(i), processArgs));
  }

  private List<String> specArgs(String processFile) {
    try {
      List<String> out = new ArrayList<>();
      JSON.readTree(node.fs().readFile(processFile)).path("args").forEach(a -> out.add(a.asText()));
      return out;
    } catch (IOException | GoError e) {
      return List.of();
    }
  }

  private static Optional<String> flag(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }

  /** The {@code runc exec}s invoked so far, oldest first. */
  List<RuncExec> runcExecs() {
    synchronized (runcExecs) {
      return List.copyOf(runcExecs);
    }
  }

  /**
   * A fingerprint of every path in container {@code id}'s root file system, by path inside the container: its type,
   * mode, size and, for a regular file, a checksum of its content.
   */
  Map<String, String> snapshot(String id) {
    String root = shimConfig.bundle(id) + "/rootfs";
    Map<String, String> out = new TreeMap<>();
    for (String p : node.fs().tree(root)) {
      String inside = p.length() == root.length() ? "/" : p.substring(root.length());
      FileInfo info = node.fs().stat(p);
      String print = info.type() + " " + Integer.toOctalString(info.mode()) + " " + info.size();
      if (info.type() == FileType.REGULAR) {
        CRC32 crc = new CRC32();
        crc.update(node.fs().readFile(p));
        print += " " + Long.toHexString(crc.getValue());
      }
      out.put(inside, print);
    }
    return out;
  }

  /**
   * Stops container {@code id} as the kubelet's {@code StopContainer} ends it after its grace period:
   * {@code SIGKILL} to its init; its PID namespace goes with it, exec processes included, and the CRI marks it
   * exited. Drives the simulation until the signal is delivered.
   */
  public void stopContainer(String id) {
    scheduler.await(stopContainerLater(id));
  }

  /** Pauses container {@code id} (its cgroup frozen, {@code runc pause}); new execs into it fail. */
  public void pauseContainer(String id) {
    scheduler.await(pauseContainerLater(id));
  }

  /** Resumes a paused container {@code id}. */
  public void resumeContainer(String id) {
    scheduler.await(resume(id));
  }

  /** As {@link #stopContainer}, without waiting: the stage completes when the kill is delivered. */
  CompletionStage<Void> stopContainerLater(String id) {
    node.trace().record(Hop.NODE, Phase.FAULT_FIRED, "container " + id + " stopped");
    return containerd.api().kill(shimConfig.namespace(), new KillRequest(new ProcessRef(id, ""), Signal.SIGKILL));
  }

  /** As {@link #pauseContainer}, without waiting. */
  CompletionStage<Void> pauseContainerLater(String id) {
    node.trace().record(Hop.NODE, Phase.FAULT_FIRED, "container " + id + " paused");
    return containerd.api().pause(shimConfig.namespace(), id);
  }

  /**
   * As {@link #resumeContainer}, without waiting. A resume that fails because containerd is down, or on its way
   * down, is done again once containerd serves again; the stage tells how the first try went.
   */
  CompletionStage<Void> resumeContainerLater(String id) {
    CompletionStage<Void> resumed = resume(id);
    resumed.whenComplete((v, e) -> {
      if (e != null) {
        boolean[] done = new boolean[1];
        containerd.onStart(() -> {
          if (!done[0]) {
            done[0] = true;
            containerd.api().resume(shimConfig.namespace(), id);
          }
        });
      }
    });
    return resumed;
  }

  private CompletionStage<Void> resume(String id) {
    node.trace().record(Hop.NODE, Phase.FAULT_FIRED, "container " + id + " resumed");
    return containerd.api().resume(shimConfig.namespace(), id);
  }

  private Optional<OciRuntime> findRuntime(String nameOrPath) {
    synchronized (runtimes) {
      return Optional.ofNullable(runtimes.get(nameOrPath));
    }
  }

  /** The shim of container {@code id}, while it is alive. */
  public Shim shim(String id) {
    return shims.shim(id).orElseThrow(() -> new IllegalArgumentException("no shim alive for container: " + id));
  }

  /** The shim of container {@code id}, if it is alive. */
  Optional<Shim> shimIfAlive(String id) {
    return shims.shim(id);
  }

  /** {@code SIGKILL} to the shim of container {@code id}; containerd cleans up after it at once. */
  public void killShim(String id) {
    shim(id).kill();
  }

  /** {@code SIGSTOP} to the shim of container {@code id}: it answers nothing until {@link #contShim}. */
  public void stopShim(String id) {
    shim(id).stop();
  }

  /** {@code SIGCONT} to the shim of container {@code id}. */
  public void contShim(String id) {
    shim(id).cont();
  }

  /** {@code SIGKILL} to containerd: its clients' calls fail, its socket file stays, shims and processes run on. */
  public void killContainerd() {
    containerd.kill();
  }

  /** {@code SIGTERM} to containerd, driving the simulation until it has exited. */
  public void stopContainerd() {
    scheduler.await(containerd.stop());
  }

  /** Starts containerd again, driving the simulation until it serves. */
  public void startContainerd() {
    scheduler.await(containerd.start());
  }

  /** The process spec containerd would use for {@code args} in a container built from {@code image}. */
  public static ProcessSpec spec(ContainerImage image, String... args) {
    return ProcessSpec.of(List.of(args), image.env()).withCwd(image.cwd());
  }

  /** Runs {@code runc <args>} on the node as root would from a shell, without input. */
  public CommandResult runc(String... args) {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    Streams.Collector err = new Streams.Collector(Integer.MAX_VALUE);
    int code = scheduler.await(runc.invoke(new Invocation(List.of(args), Map.of(), Streams.empty(), out, err)));
    settle();
    return new CommandResult(out.bytes(), err.bytes(), code);
  }

  /** The runc state root of this node's containers, for {@link #runc} calls. */
  public String runcRoot() {
    return shimConfig.runtimeRoot() + "/" + shimConfig.namespace();
  }

  /** The node's name. */
  public String name() {
    return node.name();
  }

  /** The node path of container {@code id}'s bundle. */
  public String bundle(String id) {
    return shimConfig.bundle(id);
  }

  /** The root file system of container {@code id}, as its processes see it. */
  public FileSystemView rootfs(String id) {
    return node.fs().view(shimConfig.bundle(id) + "/rootfs");
  }

  /** The directory where the shim writes its {@code runc-process} temp files. */
  public String shimTempDir() {
    return shimConfig.tempDir();
  }

  /** What a mount can run out of. */
  public enum Resource {
    /** Data blocks: writes fail. */
    BYTES,
    /** Inodes: creates fail. */
    INODES
  }

  /** Makes the mount at {@code mountPath} full: nothing more of {@code resource} fits. */
  public void fill(String mountPath, Resource resource) {
    MountUsage u = node.fs().usage(mountPath);
    original.putIfAbsent(u.path(), u.spec());
    MountSpec s = u.spec();
    node.fs().remount(u.path(), resource == Resource.BYTES
        ? new MountSpec(u.usedBytes(), s.inodes(), s.readOnly())
        : new MountSpec(s.capacityBytes(), u.usedInodes(), s.readOnly()));
  }

  /** Gives the mount at {@code mountPath} back the limits it had before {@link #fill}. */
  public void free(String mountPath) {
    MountUsage u = node.fs().usage(mountPath);
    MountSpec s = original.remove(u.path());
    if (s != null) {
      node.fs().remount(u.path(), s);
    }
  }

  /**
   * Remounts the mount at {@code mountPath} (or the one that holds it) read-only, or writable again: while
   * read-only, every change in it fails with {@code EROFS} ({@code read-only file system}) and reads work. It stays
   * so through {@link #fill} and {@link #free}.
   */
  public void setReadOnly(String mountPath, boolean readOnly) {
    String mount = node.fs().usage(mountPath).path();
    node.fs().setReadOnly(mount, readOnly);
    original.computeIfPresent(mount, (p, s) -> s.withReadOnly(readOnly));
  }

  /**
   * Makes the next {@code runc exec} on this node fail with {@code errno} on its pid file or on its log, once; later
   * ones work. See {@link Runc#failNextExec} for what runc does in each case.
   */
  public void failNextRuncExec(RuncEffect.File file, Errno errno) {
    runc.failNextExec(file, errno);
  }

  /** Takes back a {@link #failNextRuncExec} that no exec has spent yet. */
  public void stopFailingRuncExecs() {
    runc.stopFailingExecs();
  }

  /** Makes each invocation of runc take {@code delay} of virtual time more before it acts; zero restores. */
  public void setRuncDelay(Duration delay) {
    runc.setDelay(delay);
  }

  /**
   * What execs left on the node that the real chain removes: FIFO directories of the CRI plugin, the shim's
   * {@code runc-process} temp files, and the {@code pty<digits>} directories of its console sockets. Empty after
   * every exec that ended.
   */
  public List<String> leftovers() {
    List<String> out = new ArrayList<>();
    for (String p : node.fs().tree("/run/containerd/io.containerd.grpc.v1.cri/containers")) {
      if (p.matches(".*/io/[0-9]+(/.*)?")) {
        out.add(p);
      }
    }
    String temp = Paths.clean(shimTempDir());
    for (String p : node.fs().tree(temp)) {
      String below = p.substring(temp.length());
      if (p.contains("/runc-process") || below.matches("/pty[0-9]+(/.*)?")) {
        out.add(p);
      }
    }
    return out;
  }

  /** In virtual time, runs whatever is due, advancing the clock until nothing is left; in realtime, nothing. */
  public void settle() {
    if (scheduler instanceof DeterministicScheduler) {
      ((DeterministicScheduler) scheduler).runUntilIdle();
    }
  }

  /** The node's kernel: file system, process table, random source. */
  public Node node() {
    return node;
  }

  /** The scheduler every hop of this node runs on. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The scheduler in virtual time, to advance the clock; fails for a node on a realtime scheduler. */
  public DeterministicScheduler clock() {
    if (!(scheduler instanceof DeterministicScheduler)) {
      throw new IllegalStateException("a node in realtime mode has no virtual clock to advance");
    }
    return (DeterministicScheduler) scheduler;
  }

  /** The trace of everything the hops did. */
  public Trace trace() {
    return node.trace();
  }

  /** containerd and its CRI plugin. */
  public Containerd containerd() {
    return containerd;
  }

  /** The shim binary, which keeps the shims it started. */
  public RuncShimBinary shimBinary() {
    return shims;
  }

  /** runc. */
  public Runc runcBinary() {
    return runc;
  }

  private static byte[] concat(byte[] a, String b) {
    byte[] tail = b.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(a, a.length + tail.length);
    System.arraycopy(tail, 0, out, a.length, tail.length);
    return out;
  }

  // ---- faults on the exec's FIFOs and the call links

  /**
   * Runs {@code listener} on the simulation's thread with each exec FIFO opened on this node from now on, before any
   * byte crosses it, until the returned action is run.
   */
  public Runnable onExecFifo(ExecFifoListener listener) {
    return NodeHooks.of(node).onExecFifo(listener::fifo);
  }

  /** The open FIFOs of {@code stream} of the execs running in container {@code containerId}, oldest first. */
  public List<ByteWay> execFifos(String containerId, LinkName stream) {
    return List.copyOf(NodeHooks.of(node).execFifos(containerId, stream));
  }

  /**
   * Runs {@code listener} on the simulation's thread with each new connection of the call link {@code which}
   * ({@code KUBELET_CONTAINERD}: the kubelet's CRI client to containerd; {@code CONTAINERD_SHIM}: containerd's ttrpc
   * client to a container's shim), before its first call, until the returned action is run.
   */
  public Runnable onCallLink(LinkName which,
      Consumer<CallLinkHandle> listener) {
    return NodeHooks.of(node).onCallLink(which, listener);
  }

  /** The connections of the call link {@code which} open now, oldest first. */
  public List<CallLinkHandle> callLinks(LinkName which) {
    return NodeHooks.of(node).callLinks(which);
  }

  /**
   * Ends the containers' processes and lets what follows run, for at most {@link #CLOSE_LIMIT} of virtual time (a
   * client of an exec that keeps pinging would otherwise keep it going); the node is of no use afterwards.
   */
  @Override
  public void close() {
    node.processes().running().forEach(p -> p.signal(Signal.SIGKILL));
    if (scheduler instanceof DeterministicScheduler d) {
      d.advanceUntil(() -> d.pending() == 0, CLOSE_LIMIT);
    }
  }
}
