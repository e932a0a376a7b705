package io.execsim.conformance.real;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.execsim.conformance.Action;
import io.execsim.conformance.Command;
import io.execsim.conformance.Scenario;
import io.execsim.conformance.Variables;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real runtime of one scenario: a directory of its own with the root file system, the bundle, the scenario's
 * files, three small tmpfs mounts and a containerd; the commands it started; and what the machine held before, so
 * that {@link #tearDown} can remove exactly what the scenario added. Used by one thread at a time.
 */
final class ScenarioRuntime {
  private static final Logger log = LoggerFactory.getLogger(ScenarioRuntime.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);
  private static final Duration CONTAINERD_STOP_LIMIT = Duration.ofSeconds(15);
  private static final Duration GONE_LIMIT = Duration.ofSeconds(5);
  private static final Duration RMDIR_LIMIT = Duration.ofSeconds(3);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(20);
  private static final String SHIM_TMP_OPTIONS = "size=64k,nr_inodes=64";
  private static final String STATE_OPTIONS = "size=1m";
  private static final String SCRATCH_OPTIONS = "size=64k,nr_inodes=64";
  /** runc writes a pid file through a hidden temp file {@code .<name>} beside it. */
  private static final Pattern HIDDEN_PID_FILE = Pattern.compile("\\..+\\.pid");
  private static final String SLOW_RUNC = String.join("\n",
      "#!/bin/sh",
      "# runc that waits 5 s before each exec",
      "for a in \"$@\"; do",
      "  if [ \"$a\" = exec ]; then",
      "    sleep 5",
      "    break",
      "  fi",
      "done",
      "exec " + HostBinary.RUNC.path() + " \"$@\"",
      "");

  private final Path root;
  private final HostSnapshot before;
  private final Tmpfs shimTmp;
  private final Tmpfs state;
  private final Tmpfs scratch;
  private final Containerd containerd;
  private final List<StartedCommand> started = new ArrayList<>();

  private ScenarioRuntime(Path root, HostSnapshot before) {
    this.root = root;
    this.before = before;
    this.shimTmp = new Tmpfs("shimtmp", root.resolve("shimtmp"), SHIM_TMP_OPTIONS);
    this.state = new Tmpfs("state", root.resolve("state"), STATE_OPTIONS);
    this.scratch = new Tmpfs("scratch", root.resolve("scratch"), SCRATCH_OPTIONS);
    this.containerd = new Containerd(root.resolve("containerd"), state.dir(), shimTmp.dir());
  }

  /** A runtime in a new directory below {@code parent}, with the machine looked at first; nothing is set up yet. */
  static ScenarioRuntime create(Path parent) {
    HostSnapshot before = HostSnapshot.take();
    try {
      return new ScenarioRuntime(Files.createTempDirectory(parent, "execsim-conformance-"), before);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a scenario directory in " + parent + ": " + e.getMessage(), e);
    }
  }

  /** The scenario's directory. */
  Path root() {
    return root;
  }

  /** Sets everything up for {@code scenario} and starts containerd; returns the values of the variables. */
  Variables setUp(Scenario scenario, RootfsTemplate rootfs) {
    rootfs.copyTo(rootfsDir());
    makeBundle(rootfs);
    writeFiles(scenario.files());
    shimTmp.mount();
    state.mount();
    scratch.mount();
    writeSlowRunc();
    try {
      Files.createDirectories(outputDir());
      Files.createDirectories(runcRoot());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create directories in " + root + ": " + e.getMessage(), e);
    }
    containerd.configure();
    containerd.start();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("ROOTFS", rootfsDir().toString());
    values.put("BUNDLE", bundleDir().toString());
    values.put("FILES", filesDir().toString());
    values.put("SHIMTMP", shimTmp.dir().toString());
    values.put("STATE", state.dir().toString());
    values.put("SCRATCH", scratch.dir().toString());
    values.put("SOCKET", containerd.socket().toString());
    values.put("SLOWRUNC", slowRunc().toString());
    return Variables.of(values);
  }

  /** Starts {@code command} with its stdio in files of the scenario's directory. */
  StartedCommand start(Command command) {
    List<String> argv = new ArrayList<>();
    switch (command.tool()) {
      case CTR -> argv.addAll(List.of(HostBinary.CTR.path(), "-a", containerd.socket().toString()));
      case RUNC -> argv.addAll(List.of(HostBinary.RUNC.path(), "--root", runcRoot().toString()));
      default -> throw new IllegalStateException("unknown tool: " + command.tool());
    }
    argv.addAll(command.args());
    int n = started.size() + 1;
    Path stdout = outputDir().resolve(n + ".stdout");
    Path stderr = outputDir().resolve(n + ".stderr");
    ProcessBuilder pb = new ProcessBuilder(argv).directory(root.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    HostCommand.cleanEnvironment(pb.environment());
    pb.environment().putAll(command.env());
    log.debug("command {}: {}", n, command);
    long startNanos = System.nanoTime();
    try {
      StartedCommand c = new StartedCommand(command.toString(), pb.start(), startNanos, stdout, stderr);
      started.add(c);
      return c;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command + ": " + e.getMessage(), e);
    }
  }

  /** Does {@code action}, but for {@code wait}, which the caller does. */
  void act(Action action) {
    List<String> args = action.args();
    switch (action.verb()) {
      case FILL -> {
        Tmpfs t = mount(args.get(0));
        if (args.get(1).equals("bytes")) {
          t.fillBytes();
        } else {
          t.fillInodes();
        }
      }
      case FREE -> mount(args.get(0)).free();
      case KILL_SHIM -> signalShim(args.get(0), Signal.KILL);
      case STOP_SHIM -> signalShim(args.get(0), Signal.STOP);
      case CONT_SHIM -> signalShim(args.get(0), Signal.CONT);
      case KILL_CONTAINERD -> containerd.kill(CONTAINERD_STOP_LIMIT);
      case STOP_CONTAINERD -> containerd.stop(CONTAINERD_STOP_LIMIT);
      case START_CONTAINERD -> containerd.start();
      case RESTART_CONTAINERD -> {
        containerd.stop(CONTAINERD_STOP_LIMIT);
        containerd.start();
      }
      default -> throw new IllegalStateException("not an action of the runtime, the runner does it: " + action);
    }
  }

  /**
   * What the scenario left where nothing should remain: entries of the shim's temp dir and the scratch mount,
   * hidden pid files below the state dir, and ctr's FIFO directories that were not there before.
   */
  List<String> leftovers() {
    Set<String> out = new LinkedHashSet<>();
    out.addAll(shimTmp.entries());
    out.addAll(scratch.entries());
    out.addAll(hiddenPidFiles(state.dir()));
    before.added(HostSnapshot.FIFO).forEach(d -> out.add(d + "/"));
    return out.stream().sorted().toList();
  }

  /**
   * Takes down all the scenario started and removes all it made, in the order that lets each step succeed: the
   * commands, the containers through containerd and runc, containerd, any process still tied to the scenario, the
   * cgroups, the mounts, the directory, and what containerd and ctr put below {@code /run}. Never throws.
   */
  void tearDown() {
    log.debug("tearing down {}", root);
    quietly("stop the commands", () -> started.forEach(StartedCommand::stop));
    quietly("continue the shims", () -> Processes.signalAll(shimPids(null), Signal.CONT));
    quietly("remove containerd's containers", this::removeContainerdContainers);
    quietly("remove runc's containers", this::removeRuncContainers);
    quietly("kill containerd", () -> {
      if (containerd.isRunning()) {
        // nothing of it is kept, so it need not shut down in order
        containerd.kill(CONTAINERD_STOP_LIMIT);
      }
    });
    quietly("delete runc state of containerd's containers", this::deleteContainerdRuncState);
    quietly("kill the remaining processes", this::killRemaining);
    quietly("remove the cgroups", this::removeCgroups);
    quietly("unmount", this::unmountAll);
    quietly("remove " + root, () -> {
      List<Path> mounted = Mounts.below(root);
      if (!mounted.isEmpty()) {
        throw new IllegalStateException("still mounted, so not removed: " + mounted);
      }
      Trees.delete(root);
    });
    quietly("remove what was added below /run", this::removeRunEntries);
  }

  private void makeBundle(RootfsTemplate rootfs) {
    Path bundle = bundleDir();
    rootfs.copyTo(bundle.resolve("rootfs"));
    HostCommand.run(bundle, COMMAND_LIMIT, HostBinary.RUNC.path(), "spec").orThrow();
    Path config = bundle.resolve("config.json");
    try {
      ObjectNode spec = (ObjectNode) JSON.readTree(config.toFile());
      ObjectNode process = (ObjectNode) spec.get("process");
      process.put("terminal", false);
      process.putArray("args").add("sleep").add("3600");
      JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), spec);
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("cannot change the bundle config " + config + ": " + e.getMessage(), e);
    }
  }

  private void writeFiles(Map<String, String> files) {
    try {
      Files.createDirectories(filesDir());
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path file = filesDir().resolve(f.getKey()).normalize();
        if (!file.getParent().equals(filesDir())) {
          throw new IllegalStateException("a scenario file name must be a plain name: " + f.getKey());
        }
        Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the scenario's files: " + e.getMessage(), e);
    }
  }

  private void writeSlowRunc() {
    try {
      Files.writeString(slowRunc(), SLOW_RUNC, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(slowRunc(), PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + slowRunc() + ": " + e.getMessage(), e);
    }
  }

  private Tmpfs mount(String name) {
    return List.of(shimTmp, state, scratch).stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown mount: " + name));
  }

  private void signalShim(String container, Signal signal) {
    List<Long> pids = shimPids(container);
    if (pids.isEmpty()) {
      throw new IllegalStateException("no shim runs for container: " + container);
    }
    for (long pid : pids) {
      if (!Processes.signal(pid, signal)) {
        throw new IllegalStateException("cannot send SIG" + signal + " to the shim of " + container + ": pid " + pid);
      }
    }
    log.debug("sent SIG{} to the shim of {}: {}", signal, container, pids);
  }

  /**
   * The shims of this scenario's containerd, of {@code container} only unless it is {@code null}. containerd 1.6.20
   * writes no {@code shim.pid}, so they are found by their command line.
   */
  private List<Long> shimPids(@Nullable String container) {
    String socket = containerd.socket().toString();
    return Processes.matching(p -> !p.argv().isEmpty() && p.argv().get(0).equals(HostBinary.SHIM.path())
        && p.hasOption("-address", socket) && (container == null || p.hasOption("-id", container)))
        .stream().map(Processes.Info::pid).toList();
  }

  private void removeContainerdContainers() {
    if (!containerd.isRunning()) {
      return;
    }
    // a frozen task cannot die, so paused ones are resumed first
    for (String line : ctr("task", "ls").output().lines().skip(1).toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 3 && cols[2].startsWith("PAUS")) {
        ctr("task", "resume", cols[0]);
      }
    }
    for (String id : ctr("container", "ls", "-q").output().lines().filter(l -> !l.isBlank()).toList()) {
      ctr("task", "rm", "-f", id.strip());
      ctr("container", "rm", id.strip());
    }
  }

  private HostCommand.Outcome ctr(String... args) {
    List<String> argv = new ArrayList<>(List.of(HostBinary.CTR.path(), "-a", containerd.socket().toString()));
    argv.addAll(List.of(args));
    HostCommand.Outcome o = HostCommand.run(COMMAND_LIMIT, argv.toArray(String[]::new));
    if (!o.isSuccess()) {
      log.debug("cleanup: {}", o.describe());
    }
    return o;
  }

  private void removeRuncContainers() {
    if (!Files.isDirectory(runcRoot())) {
      return;
    }
    String runcRoot = runcRoot().toString();
    HostCommand.Outcome list = HostCommand.run(COMMAND_LIMIT, HostBinary.RUNC.path(), "--root", runcRoot, "list",
        "-q");
    for (String id : list.orThrow().lines().filter(l -> !l.isBlank()).map(String::strip).toList()) {
      HostCommand.run(COMMAND_LIMIT, HostBinary.RUNC.path(), "--root", runcRoot, "resume", id);
      HostCommand.Outcome o = HostCommand.run(COMMAND_LIMIT, HostBinary.RUNC.path(), "--root", runcRoot, "delete",
          "--force", id);
      if (!o.isSuccess()) {
        log.warn("cleanup of {}: {}", root, o.describe());
      }
    }
  }

  private void deleteContainerdRuncState() {
    for (Path entry : before.added(HostSnapshot.RUNC_STATE)) {
      String id = entry.getFileName().toString();
      HostCommand.run(COMMAND_LIMIT, HostBinary.RUNC.path(), "--root", HostSnapshot.RUNC_STATE.toString(), "delete",
          "--force", id);
      Trees.delete(entry);
    }
  }

  private void killRemaining() {
    String prefix = root + "/";
    Set<Long> pids = new LinkedHashSet<>();
    Processes.matching(p -> p.mentions(prefix) || p.cwd().map(c -> (c + "/").startsWith(prefix)).orElse(false))
        .forEach(p -> pids.add(p.pid()));
    for (Path cgroup : before.addedCgroups()) {
      thaw(cgroup);
      pids.addAll(Processes.inCgroup(cgroup));
    }
    if (pids.isEmpty()) {
      return;
    }
    log.debug("killing what is left of {}: {}", root, pids);
    Processes.signalAll(pids, Signal.CONT);
    Processes.signalAll(pids, Signal.KILL);
    if (!Processes.awaitGone(pids, GONE_LIMIT)) {
      throw new IllegalStateException("still running after SIGKILL: "
          + pids.stream().filter(Processes::isAlive).toList());
    }
  }

  private static void thaw(Path cgroup) {
    Path freezer = cgroup.resolve("freezer.state");
    if (Files.exists(freezer)) {
      try {
        Files.writeString(freezer, "THAWED");
      } catch (IOException e) {
        log.debug("cannot thaw {}: {}", cgroup, e.getMessage());
      }
    }
  }

  private void removeCgroups() {
    List<String> failed = new ArrayList<>();
    for (Path cgroup : before.addedCgroups()) {
      long deadline = System.nanoTime() + RMDIR_LIMIT.toNanos();
      while (true) {
        try {
          Files.deleteIfExists(cgroup);
          break;
        } catch (IOException e) {
          // the kernel refuses while the last processes of the cgroup are still exiting
          if (System.nanoTime() > deadline) {
            failed.add(cgroup + " (" + e.getMessage() + ")");
            break;
          }
          Processes.pause(RETRY_PAUSE);
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("cannot remove cgroups: " + failed);
    }
  }

  private void unmountAll() {
    List<String> failed = new ArrayList<>();
    for (Tmpfs t : List.of(shimTmp, state, scratch)) {
      if (!t.unmount()) {
        failed.add(t.dir().toString());
      }
    }
    // anything else mounted below the directory would be emptied by its removal
    for (Path p : Mounts.below(root)) {
      if (!Mounts.unmount(p)) {
        failed.add(p.toString());
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("cannot unmount " + failed);
    }
  }

  private void removeRunEntries() {
    before.added(HostSnapshot.FIFO).forEach(Trees::delete);
    before.added(HostSnapshot.SHIM_SOCKETS).forEach(Trees::delete);
    before.added(HostSnapshot.RUNC_STATE).forEach(Trees::delete);
    for (Path dir : before.addedRunDirs()) {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException e) {
        log.warn("{} holds what this scenario did not make; left in place", dir);
      } catch (IOException e) {
        throw new IllegalStateException("cannot remove " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private static List<String> hiddenPidFiles(Path top) {
    List<String> out = new ArrayList<>();
    try {
      Files.walkFileTree(top, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && HIDDEN_PID_FILE.matcher(file.getFileName().toString()).matches()) {
            out.add(file.toString());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          // the runtime removes files while they are listed
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + top + ": " + e.getMessage(), e);
    }
    return out;
  }

  private void quietly(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.warn("tearing down {}: cannot {}", root, what, e);
    }
  }

  private Path rootfsDir() {
    return root.resolve("rootfs");
  }

  private Path bundleDir() {
    return root.resolve("bundle");
  }

  private Path filesDir() {
    return root.resolve("files");
  }

  private Path slowRunc() {
    return root.resolve("slowrunc");
  }

  private Path runcRoot() {
    return root.resolve("runc");
  }

  private Path outputDir() {
    return root.resolve("output");
  }
}
