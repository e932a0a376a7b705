package io.execsim.conformance.sim;

import io.execsim.conformance.Action;
import io.execsim.conformance.Command;
import io.execsim.conformance.Scenario;
import io.execsim.conformance.Side;
import io.execsim.conformance.StepResult;
import io.execsim.conformance.Variables;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.MountSpec;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.Streams;
import io.execsim.core.oci.DelayedRuntime;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.cri.ContainerdConfig;
import io.execsim.cri.ctr.Ctr;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated side: each scenario on a fresh {@link SimNode} seeded by the scenario's name, laid out as the real
 * side's node is (a busybox root file system, an OCI bundle, small tmpfs mounts for the shim's {@code TMPDIR},
 * containerd's state and a spare), with {@code ctr} run by the ctr model against the node's containerd and
 * {@code runc} by the node's runc, all in virtual time on the calling thread.
 */
public final class SimSide implements Side {
  private static final Logger log = LoggerFactory.getLogger(SimSide.class);

  /** The shim's {@code TMPDIR}. */
  static final String SHIMTMP = "/run/containerd/shimtmp";
  /** containerd's {@code state} directory. */
  static final String STATE = "/run/containerd/state";
  /** The spare tmpfs. */
  static final String SCRATCH = "/mnt/scratch";
  /** The root file system for {@code ctr run --rootfs}. */
  static final String ROOTFS = "/var/lib/execsim/rootfs";
  /** The OCI bundle for {@code runc run} and {@code runc create}. */
  static final String BUNDLE = "/var/lib/execsim/bundle";
  /** The scenario's files. */
  static final String FILES = "/var/lib/execsim/files";
  /** containerd's socket. */
  static final String SOCKET = "/run/containerd/containerd.sock";
  /** A runc that waits 5 s before each exec. */
  static final String SLOWRUNC = "/usr/local/bin/slowrunc";
  /** The state root of the containers runc runs itself. */
  static final String RUNC_ROOT = "/run/runc";
  /** Where ctr makes its FIFO directories. */
  static final String FIFO_DIR = "/run/containerd/fifo";

  private static final long SMALL = 64 * 1024;
  private static final Duration SLOW_EXEC = Duration.ofSeconds(5);

  private @Nullable SimNode node;
  private final List<Ctr.Running> ctrs = new ArrayList<>();

  @Override
  public String name() {
    return "execsim";
  }

  @Override
  public Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("execsim", projectVersion());
    v.put("models", "containerd 1.6.20, runc 1.1.5");
    return v;
  }

  /**
   * The version of the simulation's modules: from the jar's Maven properties, or, when they run from a build's
   * classes directory, from the properties the build wrote beside it.
   */
  private static String projectVersion() {
    String v = SimNode.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in = SimNode.class.getResourceAsStream(
        "/META-INF/maven/io.execsim/sim-testkit/pom.properties")) {
      if (in != null) {
        return version(in);
      }
      java.nio.file.Path classes = java.nio.file.Path.of(SimNode.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      java.nio.file.Path built = classes.resolveSibling("maven-archiver").resolve("pom.properties");
      if (java.nio.file.Files.isRegularFile(built)) {
        try (InputStream b = java.nio.file.Files.newInputStream(built)) {
          return version(b);
        }
      }
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      log.debug("the version of sim-testkit is not known", e);
    }
    return "unknown";
  }

  private static String version(InputStream properties) throws IOException {
    Properties p = new Properties();
    p.load(properties);
    return p.getProperty("version", "unknown");
  }

  @Override
  public Variables begin(Scenario scenario) {
    SimNode n = SimNode.builder()
        .seed(scenario.name().hashCode())
        .name("conformance")
        .containerd(ContainerdConfig.defaults(10010).withStateDir(STATE).withAddress(SOCKET))
        .mount(SHIMTMP, MountSpec.tmpfs(SMALL, 64))
        .mount(STATE, MountSpec.tmpfs(1 << 20, 65_536))
        .mount(SCRATCH, MountSpec.tmpfs(SMALL, 64))
        .shimEnv(Map.of("TMPDIR", SHIMTMP))
        .build();
    node = n;
    ContainerImage busybox = ContainerImage.busybox().withFile("/bin/noexec.sh", "#!/bin/sh\necho noexec\n", 0644);
    n.installImage(ROOTFS, busybox);
    // runc spec's process, with terminal off and sleep 3600 as the reference's bundle has it
    ProcessSpec sleep = ProcessSpec.of(List.of("sleep", "3600"), List.of("PATH=" + ContainerImage.DEFAULT_PATH,
        "TERM=xterm"));
    n.createBundle(BUNDLE, busybox, sleep);
    n.node().fs().mkdirAll(FILES, 0755);
    new TreeMap<>(scenario.files()).forEach((name, content) ->
        n.node().fs().writeFile(FILES + "/" + name, content.getBytes(StandardCharsets.UTF_8), 0644));
    n.installRuntime(SLOWRUNC, new DelayedRuntime(n.runcBinary(), n.scheduler(), "exec", SLOW_EXEC));
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("ROOTFS", ROOTFS);
    vars.put("BUNDLE", BUNDLE);
    vars.put("FILES", FILES);
    vars.put("SHIMTMP", SHIMTMP);
    vars.put("STATE", STATE);
    vars.put("SCRATCH", SCRATCH);
    vars.put("SOCKET", SOCKET);
    vars.put("SLOWRUNC", SLOWRUNC);
    return Variables.of(vars);
  }

  private SimNode node() {
    SimNode n = node;
    if (n == null) {
      throw new IllegalStateException("no scenario begun");
    }
    return n;
  }

  @Override
  public Running start(Command command) {
    SimNode n = node();
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    Streams.Collector err = new Streams.Collector(Integer.MAX_VALUE);
    Instant started = n.scheduler().now();
    String label = command.toString();
    if (command.tool() == Command.Tool.CTR) {
      List<String> argv = new ArrayList<>(List.of("-a", SOCKET));
      argv.addAll(command.args());
      Ctr.Running ctr = n.ctrTool().start(argv, command.env(), Streams.empty(), out, err);
      ctrs.add(ctr);
      return limit -> finish(label, ctr.exit(), started, limit, out, err, ctr::kill);
    }
    List<String> argv = new ArrayList<>(List.of("--root", RUNC_ROOT));
    argv.addAll(command.args());
    CompletionStage<Integer> exit;
    try {
      exit = n.runcBinary().invoke(new Invocation(argv, command.env(), Streams.empty(), out, err));
    } catch (RuntimeException e) {
      exit = CompletableFuture.failedFuture(e);
    }
    CompletionStage<Integer> runc = exit;
    // TODO: a runc that hangs is only recorded as hung; nothing kills it
    return limit -> finish(label, runc, started, limit, out, err, () -> { });
  }

  private StepResult finish(String label, CompletionStage<Integer> exit, Instant started, Duration limit,
      Streams.Collector out, Streams.Collector err, Runnable stop) {
    DeterministicScheduler clock = node().clock();
    CompletableFuture<Integer> f = exit.toCompletableFuture();
    Duration left = limit.minus(Duration.between(started, clock.now()));
    boolean ended = f.isDone() || (!left.isNegative() && clock.advanceUntil(f::isDone, left));
    String stdout = new String(out.bytes(), StandardCharsets.UTF_8);
    String stderr = new String(err.bytes(), StandardCharsets.UTF_8);
    if (!ended) {
      stop.run();
      return StepResult.hung(label, stdout, stderr);
    }
    if (f.isCompletedExceptionally()) {
      throw new IllegalStateException("the simulation failed to run: " + label, f.handle((v, e) -> e).join());
    }
    return new StepResult(label, stdout, stderr, f.join());
  }

  @Override
  public void sleep(Duration time) {
    node().clock().advance(time);
  }

  @Override
  public void act(Action action) {
    SimNode n = node();
    List<String> args = action.args();
    try {
      switch (action.verb()) {
        case FILL -> n.fill(mount(args.get(0)), args.get(1).equals("bytes")
            ? SimNode.Resource.BYTES : SimNode.Resource.INODES);
        case FREE -> n.free(mount(args.get(0)));
        case KILL_SHIM -> n.killShim(args.get(0));
        case STOP_SHIM -> n.stopShim(args.get(0));
        case CONT_SHIM -> n.contShim(args.get(0));
        case KILL_CONTAINERD -> n.killContainerd();
        case STOP_CONTAINERD -> n.stopContainerd();
        case START_CONTAINERD -> n.startContainerd();
        case RESTART_CONTAINERD -> {
          n.stopContainerd();
          n.startContainerd();
        }
        case WAIT -> sleep(action.waitTime());
        default -> throw new IllegalStateException("no such action here: " + action);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot " + action + ": " + e.getMessage(), e);
    }
  }

  private static String mount(String name) {
    return switch (name) {
      case "shimtmp" -> SHIMTMP;
      case "state" -> STATE;
      case "scratch" -> SCRATCH;
      default -> throw new IllegalStateException("no such mount: " + name);
    };
  }

  @Override
  public List<String> leftovers() {
    SimNode n = node();
    List<String> out = new ArrayList<>();
    // fill here shrinks the mount instead of writing a file, so whatever is in it was left by the runtime
    for (String mount : List.of(SHIMTMP, SCRATCH)) {
      n.node().fs().tree(mount).stream().filter(p -> !p.equals(mount)).forEach(p -> out.add(shown(n, p)));
    }
    for (String p : n.node().fs().tree(STATE)) {
      if (Paths.base(p).matches("\\..+\\.pid")) {
        out.add(p);
      }
    }
    for (String p : n.node().fs().tree(FIFO_DIR)) {
      if (Paths.parent(p).equals(FIFO_DIR)) {
        out.add(p + "/");
      }
    }
    return out;
  }

  private static String shown(SimNode n, String path) {
    FileInfo info = n.node().fs().stat(path);
    return info.isDirectory() ? path + "/" : path;
  }

  @Override
  public void end() {
    SimNode n = node;
    node = null;
    try {
      ctrs.forEach(Ctr.Running::kill);
      if (n != null) {
        n.close();
      }
    } catch (RuntimeException e) {
      log.warn("the node of the scenario did not close cleanly", e);
    } finally {
      ctrs.clear();
    }
  }
}
