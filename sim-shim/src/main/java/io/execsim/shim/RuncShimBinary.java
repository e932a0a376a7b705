package io.execsim.shim;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.OciRuntime;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.LookPathError;
import io.execsim.core.process.Signal;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.ShimArgs;
import io.execsim.core.task.ShimBinary;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code containerd-shim-runc-v2} as a binary on a node: {@code start} runs a new {@link Shim} for one container,
 * serving at {@code /run/containerd/s/<sha256 of containerd's address, namespace and id>}, with the OCI runtime the
 * container asks for ({@code runc} unless a {@code BinaryName} is given); {@code delete} force-deletes the container
 * of a dead shim with that runtime. It keeps the shims it started, so that a test can find the shim of a container
 * and stop or kill it.
 */
public final class RuncShimBinary implements ShimBinary {
  private static final Logger log = LoggerFactory.getLogger(RuncShimBinary.class);
  /** Where containerd 1.6 puts shim sockets, whatever its configuration says. */
  public static final String SOCKET_DIR = "/run/containerd/s";
  private static final String DEFAULT_RUNTIME = "runc";
  /**
   * How long {@code delete} takes after a shim died, {@code runc delete --force} polling for the container's end
   * included.
   */
  // measured on the conformance machine: containerd dropped the task 1.05 to 1.2 s after its shim was killed
  private static final java.time.Duration DELETE_TAKES = java.time.Duration.ofMillis(1100);

  private final Node node;
  private final Function<String, Optional<OciRuntime>> runtimes;
  private final ShimConfig config;
  private final Map<String, Shim> shims = new LinkedHashMap<>();

  /**
   * The shim binary of {@code node}. {@code runtimes} finds an OCI runtime binary by the name or path a container
   * gives ({@code runc} by default); {@code config} is the layout and environment every shim inherits, its namespace
   * replaced by each container's.
   */
  public RuncShimBinary(Node node, Function<String, Optional<OciRuntime>> runtimes, ShimConfig config) {
    this.node = node;
    this.runtimes = runtimes;
    this.config = config;
  }

  @Override
  public CompletionStage<String> start(ShimArgs args) {
    String path = SOCKET_DIR + "/" + socketName(args);
    Shim shim = new Shim(node, runtime(args.runtimeBinary().orElse(DEFAULT_RUNTIME)),
        config.withNamespace(args.namespace()));
    try {
      node.fs().mkdirAll(SOCKET_DIR, 0711);
      shim.serve(path);
      node.fs().writeFile(args.bundle() + "/address", ("unix://" + path).getBytes(StandardCharsets.UTF_8), 0600);
    } catch (GoError e) {
      shim.kill();
      return CompletableFuture.failedFuture(e);
    }
    synchronized (this) {
      shims.put(key(args.namespace(), args.id()), shim);
    }
    node.trace().record(Hop.SHIM, Phase.FILE_WRITTEN, "shim for " + args.namespace() + "/" + args.id() + " serves "
        + path);
    return CompletableFuture.completedFuture("unix://" + path);
  }

  @Override
  public CompletionStage<ExitResponse> delete(ShimArgs args) {
    Shim shim;
    synchronized (this) {
      shim = shims.remove(key(args.namespace(), args.id()));
    }
    OciRuntime runtime = shim != null ? shim.runtime() : runtime(args.runtimeBinary().orElse(DEFAULT_RUNTIME));
    List<String> argv = new ArrayList<>(List.of("--root", config.runtimeRoot() + "/" + args.namespace(), "--log",
        args.bundle() + "/log.json", "--log-format", "json", "delete", "--force", args.id()));
    int pid = initPid(args.bundle());
    CompletionStage<Integer> deleted;
    try {
      deleted = runtime.invoke(new Invocation(argv, config.env(), Streams.empty(), Streams.discard(),
          Streams.discard()));
    } catch (GoError e) {
      deleted = CompletableFuture.failedFuture(e);
    }
    return deleted.thenCombine(node.scheduler().sleep(DELETE_TAKES), (status, slept) -> status).handle((status, e) -> {
      if (e != null || status != 0) {
        // the real shim only warns: "failed to remove runc container"
        log.warn("container {}: failed to remove runc container: {}", args.id(),
            e != null ? GoError.from(e).text() : "exit status " + status);
      }
      return new ExitResponse(pid, ExitStatus.killed(Signal.SIGKILL).status(), node.scheduler().now());
    });
  }

  /** The shim this binary started last for container {@code id}, in any namespace, while it is alive. */
  public synchronized Optional<Shim> shim(String id) {
    Shim found = null;
    for (Map.Entry<String, Shim> e : shims.entrySet()) {
      if (e.getKey().endsWith("\0" + id) && e.getValue().isAlive()) {
        found = e.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The shims alive now. */
  public synchronized List<Shim> alive() {
    return shims.values().stream().filter(Shim::isAlive).toList();
  }

  private OciRuntime runtime(String binary) {
    Optional<OciRuntime> found = runtimes.apply(binary);
    if (found.isPresent()) {
      return found.get();
    }
    // os/exec: a bare name is looked up in PATH, a path is started as it is
    GoError missing = binary.contains("/")
        ? GoError.wrap("fork/exec " + binary, Errno.ENOENT.error())
        : new LookPathError(binary, LookPathError.Reason.NOT_FOUND, "executable file not found in $PATH");
    return inv -> CompletableFuture.failedFuture(missing);
  }

  private int initPid(String bundle) {
    try {
      String text = new String(node.fs().readFile(bundle + "/init.pid"), StandardCharsets.US_ASCII).strip();
      return Integer.parseInt(text);
    } catch (PathError | NumberFormatException e) {
      return 0;
    }
  }

  private static String key(String namespace, String id) {
    return namespace + "\0" + id;
  }

  /** shim.SocketAddress: the hex SHA-256 of {@code filepath.Join(address, namespace, id)}. */
  private static String socketName(ShimArgs args) {
    String joined = io.execsim.core.fs.Paths.clean(args.containerdAddress() + "/" + args.namespace() + "/"
        + args.id());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(joined.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
