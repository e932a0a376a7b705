package io.execsim.cri;

import io.execsim.core.error.Errdefs;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fault.LinkName;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import io.execsim.core.sched.Timeouts;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.ShimArgs;
import io.execsim.core.task.ShimBinary;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * containerd's runtime v2 on one node: the task list, one shim per container started through the shim binary and
 * reached over ttrpc at the address it wrote to the bundle, the deletion of a task with its shim and bundle, and the
 * clean-up after a shim that dies (the shim binary's {@code delete}, the bundle removed, the task dropped). When
 * containerd exits its connections close and the list is gone; a new containerd loads it again from the bundles.
 * Each connection to a shim is announced to the node's {@link NodeHooks} before its first call; a reset of one is
 * taken, as ttrpc's on-close callback takes it, for the shim's death.
 */
final class TaskManager {
  private static final Logger log = LoggerFactory.getLogger(TaskManager.class);
  /** containerd's {@code io.containerd.timeout.shim.load}. */
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(5);

  private final Node node;
  private final ContainerdConfig config;
  private final ShimBinary binary;
  private final NodeHooks hooks;
  private final TaskExitListener exits;
  private final Map<String, ShimTask> tasks = new LinkedHashMap<>();
  private int epoch;

  /** A task of the list: a container's shim as containerd holds it. */
  record ShimTask(String namespace, String id, String bundle, Optional<String> runtimeBinary, TaskClient client) {

    ShimArgs args(String containerdAddress) {
      return new ShimArgs(namespace, id, bundle, containerdAddress, runtimeBinary);
    }
  }

  /** What containerd's event exchange carries to its subscribers of {@code /tasks/exit}. */
  @FunctionalInterface
  interface TaskExitListener {
    /** The init process of task {@code id} in {@code namespace} ended with {@code exit}. */
    void taskExited(String namespace, String id, ExitResponse exit);
  }

  TaskManager(Node node, ContainerdConfig config, ShimBinary binary, TaskExitListener exits) {
    this.node = node;
    this.config = config;
    this.binary = binary;
    this.hooks = NodeHooks.of(node);
    this.exits = exits;
  }

  synchronized Optional<ShimTask> get(String namespace, String id) {
    return Optional.ofNullable(tasks.get(key(namespace, id)));
  }

  /**
   * Starts the container's shim and creates its task from the bundle the request names; on failure the shim is shut
   * down and the bundle removed, and the error reads {@code failed to create shim task: <the shim's error>}.
   */
  CompletionStage<ShimTask> create(String namespace, CreateTaskRequest r, Optional<String> runtimeBinary) {
    ShimArgs args = new ShimArgs(namespace, r.id(), r.bundle(), config.address(), runtimeBinary);
    int at = epoch();
    return binary.start(args)
        .handle((address, e) -> {
          if (e != null) {
            node.fs().removeAll(r.bundle());
            throw GoError.wrap("failed to start shim", GoError.wrap("start failed", GoError.from(e)));
          }
          return connect(args, address, at);
        })
        .thenCompose(t -> t.client().call(s -> s.create(r)).handle((created, e) -> {
          if (e == null) {
            node.trace().record(Hop.CONTAINERD, Phase.TASK_START, "task created " + namespace + "/" + r.id()
                + " pid=" + created.pid());
            return CompletableFuture.completedFuture(t);
          }
          forget(t);
          GoError failed = GoError.wrap("failed to create shim task", GoError.from(e));
          return shutDown(t).<ShimTask>thenApply(v -> {
            throw failed;
          });
        }).thenCompose(c -> c));
  }

  /**
   * Deletes the task of a container: the shim's {@code Delete} of the init, then its shutdown and the bundle's
   * removal. A shim that is gone or knows no such container is no error here.
   */
  CompletionStage<ExitResponse> delete(ShimTask t) {
    return t.client().call(s -> s.delete(new ProcessRef(t.id(), ""))).handle((exit, e) -> {
      GoError err = e == null ? null : GoError.wrap("failed to delete task", GoError.from(e));
      if (err != null && !TaskClient.isClosed(GoError.from(e)) && !GoError.from(e).is(Errdefs.NOT_FOUND)) {
        return CompletableFuture.<ExitResponse>failedFuture(err);
      }
      forget(t);
      return shutDown(t).thenApply(v -> {
        if (err != null) {
          throw err;
        }
        return exit;
      });
    }).thenCompose(c -> c);
  }

  /** containerd exits: every connection to a shim closes and the list is gone; the shims run on. */
  void closeAll() {
    List<ShimTask> all;
    synchronized (this) {
      epoch++;
      all = List.copyOf(tasks.values());
      tasks.clear();
    }
    all.forEach(t -> t.client().link().close());
  }

  /**
   * A new containerd loads the tasks of the bundles it finds: it connects to each bundle's shim and asks for the
   * init's state; a shim that cannot be reached is cleaned up after as a dead one.
   */
  CompletionStage<Void> loadExisting(BiFunction<String, String, Optional<String>> runtimeOf) {
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    int at = epoch();
    for (String ns : listDir(config.taskDir())) {
      for (String id : listDir(config.taskDir() + "/" + ns)) {
        ShimArgs args = new ShimArgs(ns, id, config.bundle(ns, id), config.address(), runtimeOf.apply(ns, id));
        loads.add(load(args, at).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
  }

  private CompletionStage<Void> load(ShimArgs args, int at) {
    ShimTask t;
    try {
      String address = new String(node.fs().readFile(args.bundle() + "/address"), StandardCharsets.UTF_8);
      t = connect(args, address, at);
    } catch (GoError e) {
      log.warn("task {}/{}: cannot connect to its shim; cleaning up as after a dead shim", args.namespace(),
          args.id(), e);
      return cleanUp(args, null);
    }
    CompletionStage<?> state = Timeouts.within(node.scheduler(),
        t.client().call(s -> s.state(new ProcessRef(args.id(), ""))), LOAD_TIMEOUT,
        Errdefs.DEADLINE_EXCEEDED::error);
    return state.handle((st, e) -> {
      if (e != null) {
        log.warn("task {}/{}: its shim does not answer; cleaning up as after a dead shim", args.namespace(),
            args.id(), e);
        t.client().link().close();
        forget(t);
        return cleanUp(args, null);
      }
      log.debug("task {}/{} loaded", args.namespace(), args.id());
      return CompletableFuture.<Void>completedFuture(null);
    }).thenCompose(s -> s);
  }

  private ShimTask connect(ShimArgs args, String address, int at) {
    String path = address.startsWith("unix://") ? address.substring("unix://".length()) : address;
    TaskClient client = TaskClient.connect(node.sockets().dial(path));
    ShimTask t = new ShimTask(args.namespace(), args.id(), args.bundle(), args.runtimeBinary(), client);
    client.link().onPeerClosed(() -> shimDisconnected(t));
    boolean current;
    synchronized (this) {
      current = at == epoch;
      if (current) {
        tasks.put(key(args.namespace(), args.id()), t);
      }
    }
    if (current) {
      // ttrpc's client turns a read that fails with ECONNRESET into ErrClosed (filterCloseErr), as it does an EOF
      hooks.connected(LinkName.CONTAINERD_SHIM, args.id(), client.link(), Hop.CONTAINERD,
          GoError.of(TaskClient.CLOSED));
    } else {
      // containerd died meanwhile: its connections go with it
      client.link().close();
    }
    return t;
  }

  /** The ttrpc on-close callback: {@code cleanupAfterDeadShim}, then the task leaves the list. */
  private void shimDisconnected(ShimTask t) {
    log.info("shim disconnected id={} namespace={}", t.id(), t.namespace());
    node.trace().record(Hop.CONTAINERD, Phase.FAULT_FIRED, "shim disconnected " + t.namespace() + "/" + t.id());
    cleanUp(t.args(config.address()), t);
  }

  private CompletionStage<Void> cleanUp(ShimArgs args, ShimTask t) {
    log.info("cleaning up after shim disconnected id={} namespace={}", args.id(), args.namespace());
    return binary.delete(args).handle((exit, e) -> {
      if (e != null) {
        log.warn("task {}: failed to clean up after shim disconnected: {}", args.id(), GoError.from(e).text());
      } else {
        node.fs().removeAll(args.bundle());
      }
      if (t != null) {
        forget(t);
        // only a listed task's end is published; without the shim's answer the status is 255
        exits.taskExited(args.namespace(), args.id(), e == null ? exit
            : new ExitResponse(0, 255, node.scheduler().now()));
      }
      node.trace().record(Hop.CONTAINERD, Phase.TASK_DELETE, "dead shim cleaned up " + args.namespace() + "/"
          + args.id());
      return null;
    });
  }

  /** {@code waitShutdown}, then the connection's close and the bundle's removal; errors are only logged. */
  private CompletionStage<Void> shutDown(ShimTask t) {
    return t.client().call(s -> s.shutdown(t.id())).handle((v, e) -> {
      if (e != null) {
        log.debug("task {}: shim shutdown failed: {}", t.id(), GoError.from(e).text());
      }
      t.client().link().close();
      try {
        node.fs().removeAll(t.bundle());
      } catch (PathError err) {
        log.warn("task {}: failed to delete bundle: {}", t.id(), err.text());
      }
      return null;
    });
  }

  private synchronized void forget(ShimTask t) {
    tasks.remove(key(t.namespace(), t.id()), t);
  }

  private synchronized int epoch() {
    return epoch;
  }

  private List<String> listDir(String path) {
    try {
      return node.fs().list(path);
    } catch (PathError e) {
      return List.of();
    }
  }

  private static String key(String namespace, String id) {
    return namespace + "\0" + id;
  }
}
