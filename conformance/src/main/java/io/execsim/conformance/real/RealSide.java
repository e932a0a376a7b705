package io.execsim.conformance.real;

import io.execsim.conformance.Action;
import io.execsim.conformance.Command;
import io.execsim.conformance.Scenario;
import io.execsim.conformance.Side;
import io.execsim.conformance.Variables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real side: each scenario on Debian's containerd, its runc shim, runc and ctr, run by hand as root. Every
 * scenario gets a directory of its own below {@code /tmp} with a busybox root file system, an OCI bundle, its files,
 * three small tmpfs mounts (the shim's {@code TMPDIR}, containerd's state directory and a spare one) and a containerd
 * of its own; runc run directly keeps its state in that directory too. {@link #end} takes all of it down, and so
 * does a shutdown hook if the JVM stops in the middle of a scenario. Methods run on the caller's thread and block
 * until the runtime has done what they ask.
 */
public final class RealSide implements Side {
  private static final Logger log = LoggerFactory.getLogger(RealSide.class);
  private static final Path TEMP = Path.of("/tmp");
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Duration VERSION_LIMIT = Duration.ofSeconds(10);

  private final RootfsTemplate rootfs = new RootfsTemplate(TEMP);
  private volatile @Nullable ScenarioRuntime current;
  private @Nullable Thread shutdownHook;
  private volatile boolean shuttingDown;

  /** A side that has run nothing yet; it checks the machine when a scenario begins. */
  public RealSide() {
  }

  @Override
  public String name() {
    return "real";
  }

  /** The first line of {@code containerd --version}, {@code runc --version} and {@code ctr --version}. */
  @Override
  public Map<String, String> versions() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("containerd", version(HostBinary.CONTAINERD));
    out.put("runc", version(HostBinary.RUNC));
    out.put("ctr", version(HostBinary.CTR));
    return out;
  }

  /**
   * Sets up a fresh runtime for {@code scenario}; throws {@link IllegalStateException} if the JVM does not run as
   * root or a program the side needs is missing, naming what is wrong.
   */
  @Override
  public synchronized Variables begin(Scenario scenario) {
    if (shuttingDown) {
      throw new IllegalStateException("the JVM is shutting down");
    }
    end();
    checkMachine();
    installShutdownHook();
    log.info("real: setting up scenario {}", scenario.name());
    ScenarioRuntime runtime = ScenarioRuntime.create(TEMP);
    current = runtime;
    try {
      return runtime.setUp(scenario, rootfs);
    } catch (RuntimeException e) {
      end();
      throw e;
    }
  }

  /**
   * Starts {@code ctr -a ${SOCKET}} or {@code runc --root <the scenario's runc root>} with the command's arguments,
   * stdin from {@code /dev/null}, and the command's variables added to an environment without {@code TMPDIR},
   * {@code XDG_RUNTIME_DIR} and ctr's {@code CONTAINERD_*} defaults.
   */
  @Override
  public Running start(Command command) {
    return runtime().start(command);
  }

  /** Sleeps on the calling thread. */
  @Override
  public void sleep(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting " + time, e);
    }
  }

  /** Does {@code action}; {@code wait} is not one, the runner sleeps for it. */
  @Override
  public void act(Action action) {
    runtime().act(action);
  }

  /**
   * The entries of {@code ${SHIMTMP}} and {@code ${SCRATCH}} but the fill files, hidden pid files anywhere below
   * {@code ${STATE}}, and the directories below {@code /run/containerd/fifo} that the scenario added; sorted.
   */
  @Override
  public List<String> leftovers() {
    return runtime().leftovers();
  }

  /**
   * Removes the containers and tasks, stops containerd and every process tied to the scenario, unmounts its tmpfs
   * mounts and removes its directory, its cgroups and what it added below {@code /run/containerd}; logs what it
   * cannot do and goes on.
   */
  @Override
  public synchronized void end() {
    ScenarioRuntime runtime = current;
    current = null;
    if (runtime != null) {
      runtime.tearDown();
      log.info("real: took down {}", runtime.root());
    }
  }

  private ScenarioRuntime runtime() {
    ScenarioRuntime runtime = current;
    if (runtime == null) {
      throw new IllegalStateException("no scenario has begun");
    }
    return runtime;
  }

  private static void checkMachine() {
    List<String> problems = new ArrayList<>();
    String uid = effectiveUid();
    if (!uid.equals("0")) {
      problems.add("it must run as root, but the effective uid is " + uid);
    }
    List<String> missing = HostBinary.missing();
    if (!missing.isEmpty()) {
      problems.add("these programs are missing: " + String.join(", ", missing));
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the real side cannot run: " + String.join("; ", problems));
    }
  }

  private static String effectiveUid() {
    try {
      // "Uid:" is followed by the real, effective, saved and file system uid
      return Files.readAllLines(STATUS).stream().filter(l -> l.startsWith("Uid:")).findFirst()
          .map(l -> l.split("\\s+")[2]).orElse("unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private synchronized void installShutdownHook() {
    if (shutdownHook == null) {
      Thread hook = new Thread(this::shutDown, "execsim-real-side-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    }
  }

  private void shutDown() {
    shuttingDown = true;
    end();
    rootfs.delete();
  }

  private static String version(HostBinary binary) {
    try {
      HostCommand.Outcome o = HostCommand.run(VERSION_LIMIT, binary.path(), "--version");
      return o.isSuccess() ? o.output().lines().findFirst().orElse("").strip() : "unknown: " + o.describe();
    } catch (IllegalStateException e) {
      return "unknown: " + e.getMessage();
    }
  }
}
