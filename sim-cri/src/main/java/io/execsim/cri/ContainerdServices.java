package io.execsim.cri;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.execsim.core.node.Node;
import io.execsim.core.sched.Timeouts;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExecProcessRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.KillRequest;
import io.execsim.core.task.ProcessRef;
import io.execsim.core.task.StartResponse;
import io.execsim.core.task.StateResponse;
import io.execsim.core.task.TaskStatus;
import io.execsim.cri.TaskManager.ShimTask;
import io.execsim.cri.api.ContainerRecord;
import io.execsim.cri.api.ContainerdApi;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * containerd's containers and tasks services ({@code services/tasks/local.go}) over its metadata store and its
 * runtime's task list. Each call reaches the shim as the real service does (an exec's process is looked up with a
 * {@code State} call first; {@code Get} waits for the shim's state at most 2 s and reports an unknown status after
 * that), and answers failures as {@code errdefs.ToGRPC} makes them. The CRI's runtime service is served on the same
 * socket, as the CRI plugin's is on containerd's gRPC server.
 */
final class ContainerdServices implements ContainerdApi, RuntimeService {
  private static final Logger log = LoggerFactory.getLogger(ContainerdServices.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** containerd's {@code io.containerd.timeout.task.state}. */
  private static final Duration STATE_TIMEOUT = Duration.ofSeconds(2);

  private final Node node;
  private final ContainerdConfig config;
  private final TaskManager tasks;
  private final RuntimeService cri;
  private final Map<String, Map<String, ContainerRecord>> metadata = new LinkedHashMap<>();

  ContainerdServices(Node node, ContainerdConfig config, TaskManager tasks, RuntimeService cri) {
    this.node = node;
    this.config = config;
    this.tasks = tasks;
    this.cri = cri;
  }

  @Override
  public CompletionStage<ExecResponse> exec(ExecRequest request) {
    return cri.exec(request);
  }

  @Override
  public CompletionStage<ExecSyncResponse> execSync(ExecSyncRequest request) {
    return cri.execSync(request);
  }

  /** The runtime binary of a container the metadata store knows, for loading its task again. */
  synchronized Optional<String> runtimeBinary(String namespace, String id) {
    return Optional.ofNullable(metadata.getOrDefault(namespace, Map.of()).get(id))
        .flatMap(ContainerRecord::runtimeBinary);
  }

  /** Stores a container, as the CRI plugin does for the containers it creates. */
  synchronized void put(String namespace, ContainerRecord c) {
    metadata.computeIfAbsent(namespace, n -> new LinkedHashMap<>()).put(c.id(), c);
  }

  // ---- containers

  @Override
  public CompletionStage<ContainerRecord> getContainer(String namespace, String id) {
    return RpcError.atEdge(() -> CompletableFuture.completedFuture(container(namespace, id)));
  }

  @Override
  public CompletionStage<ContainerRecord> createContainer(String namespace, ContainerRecord c) {
    return RpcError.atEdge(() -> {
      synchronized (this) {
        Map<String, ContainerRecord> ns = metadata.computeIfAbsent(namespace, n -> new LinkedHashMap<>());
        if (ns.containsKey(c.id())) {
          throw GoError.of("container " + GoText.quote(c.id()), Errdefs.ALREADY_EXISTS);
        }
        ns.put(c.id(), c);
      }
      return CompletableFuture.completedFuture(c);
    });
  }

  @Override
  public CompletionStage<Void> deleteContainer(String namespace, String id) {
    return RpcError.atEdge(() -> {
      synchronized (this) {
        if (metadata.getOrDefault(namespace, Map.of()).remove(id) == null) {
          throw GoError.of("cannot delete container " + GoText.quote(id) + " in namespace "
              + GoText.quote(namespace), Errdefs.NOT_FOUND);
        }
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  private synchronized ContainerRecord container(String namespace, String id) {
    ContainerRecord c = metadata.getOrDefault(namespace, Map.of()).get(id);
    if (c == null) {
      throw GoError.of("container " + GoText.quote(id) + " in namespace " + GoText.quote(namespace),
          Errdefs.NOT_FOUND);
    }
    return c;
  }

  // ---- tasks

  @Override
  public CompletionStage<StartResponse> createTask(String namespace, CreateTaskRequest r) {
    return RpcError.atEdge(() -> {
      ContainerRecord c = container(namespace, r.id());
      if (tasks.get(namespace, r.id()).isPresent()) {
        throw GoError.of("task " + r.id(), Errdefs.ALREADY_EXISTS);
      }
      String bundle = config.bundle(namespace, r.id());
      newBundle(bundle, c);
      CreateTaskRequest request = new CreateTaskRequest(r.id(), bundle, r.terminal(), r.stdin(), r.stdout(),
          r.stderr());
      return tasks.create(namespace, request, c.runtimeBinary())
          .thenCompose(t -> state(t, "").thenApply(s -> new StartResponse(s.pid())));
    });
  }

  /** runtime/v2 {@code NewBundle}: the directory, the root file system's mount point, and {@code config.json}. */
  private void newBundle(String bundle, ContainerRecord c) {
    node.fs().mkdirAll(io.execsim.core.fs.Paths.parent(bundle), 0711);
    node.fs().mkdir(bundle, 0700);
    try {
      node.fs().mkdir(bundle + "/rootfs", 0711);
      node.fs().writeFile(bundle + "/config.json", configJson(c), 0666);
    } catch (GoError e) {
      node.fs().removeAll(bundle);
      throw e;
    }
  }

  /** The OCI spec of a container, as far as the simulation's runtime reads it. */
  static byte[] configJson(ContainerRecord c) {
    ObjectNode config = JSON.createObjectNode();
    config.put("ociVersion", "1.0.2-dev");
    config.set("process", JSON.valueToTree(c.process()));
    config.putObject("root").put("path", c.rootfs());
    try {
      return JSON.writeValueAsBytes(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config.json must serialize", e);
    }
  }

  @Override
  public CompletionStage<StartResponse> start(String namespace, ProcessRef r) {
    return RpcError.atEdge(() -> {
      ShimTask t = task(namespace, r.id());
      return process(t, r.execId())
          .thenCompose(v -> t.client().call(s -> s.start(r)))
          .thenCompose(v -> state(t, r.execId()))
          .thenApply(s -> new StartResponse(s.pid()));
    });
  }

  @Override
  public CompletionStage<StateResponse> get(String namespace, ProcessRef r) {
    return RpcError.atEdge(() -> {
      ShimTask t = task(namespace, r.id());
      return process(t, r.execId()).thenCompose(v -> Timeouts.within(node.scheduler(), state(t, r.execId()),
          STATE_TIMEOUT, () -> GoError.wrap("context deadline exceeded", Errdefs.UNKNOWN.error()))
          .handle((s, e) -> {
            if (e == null) {
              return s;
            }
            GoError err = GoError.from(e);
            if (err.is(Errdefs.NOT_FOUND)) {
              throw err;
            }
            log.warn("get state for {}: {}", r.execId().isEmpty() ? r.id() : r.execId(), err.text());
            return new StateResponse(r.execId().isEmpty() ? r.id() : r.execId(), "", 0, TaskStatus.UNKNOWN,
                Optional.empty(), Optional.empty(), Optional.empty(), false, 0, Optional.empty());
          }));
    });
  }

  @Override
  public CompletionStage<Void> exec(String namespace, ExecProcessRequest r) {
    if (r.execId().isEmpty()) {
      return CompletableFuture.failedFuture(RpcError.of(RpcCode.INVALID_ARGUMENT, "exec id cannot be empty"));
    }
    return RpcError.atEdge(() -> task(namespace, r.id()).client().call(s -> s.exec(r)));
  }

  @Override
  public CompletionStage<ExitResponse> waitFor(String namespace, ProcessRef r) {
    return RpcError.atEdge(() -> {
      ShimTask t = task(namespace, r.id());
      return process(t, r.execId()).thenCompose(v -> t.client().call(s -> s.waitFor(r)));
    });
  }

  @Override
  public CompletionStage<Void> kill(String namespace, KillRequest r) {
    return RpcError.atEdge(() -> {
      ShimTask t = task(namespace, r.ref().id());
      return process(t, r.ref().execId()).thenCompose(v -> t.client().call(s -> s.kill(r)));
    });
  }

  @Override
  public CompletionStage<Void> pause(String namespace, String id) {
    return RpcError.atEdge(() -> task(namespace, id).client().call(s -> s.pause(id)));
  }

  @Override
  public CompletionStage<Void> resume(String namespace, String id) {
    return RpcError.atEdge(() -> task(namespace, id).client().call(s -> s.resume(id)));
  }

  @Override
  public CompletionStage<ExitResponse> deleteTask(String namespace, String id) {
    return RpcError.atEdge(() -> tasks.delete(task(namespace, id)));
  }

  @Override
  public CompletionStage<ExitResponse> deleteProcess(String namespace, ProcessRef r) {
    return RpcError.atEdge(() -> {
      ShimTask t = task(namespace, r.id());
      return process(t, r.execId()).thenCompose(v -> t.client().call(s -> s.delete(r)));
    });
  }

  @Override
  public CompletionStage<Void> closeIo(String namespace, ProcessRef r) {
    return RpcError.atEdge(() -> {
      ShimTask t = task(namespace, r.id());
      return process(t, r.execId()).thenCompose(v -> t.client().call(s -> s.closeIo(r)));
    });
  }

  /** {@code getTask}: the container first, then its task, whose absence is {@code NotFound: task <id> not found}. */
  private ShimTask task(String namespace, String id) {
    container(namespace, id);
    return tasks.get(namespace, id)
        .orElseThrow(() -> RpcError.of(RpcCode.NOT_FOUND, "task " + id + " not found"));
  }

  /** {@code Task.Process}: an exec process exists when the shim answers its state; the init needs no check. */
  private CompletionStage<Void> process(ShimTask t, String execId) {
    if (execId.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return state(t, execId).thenApply(s -> null);
  }

  /** The shim's {@code State}; a shim that is gone reads as {@code not found}, as runtime/v2 makes it. */
  private CompletionStage<StateResponse> state(ShimTask t, String execId) {
    CompletableFuture<StateResponse> out = new CompletableFuture<>();
    t.client().call(s -> s.state(new ProcessRef(t.id(), execId))).whenComplete((s, e) -> {
      if (e == null) {
        out.complete(s);
      } else if (TaskClient.isClosed(GoError.from(e))) {
        out.completeExceptionally(Errdefs.NOT_FOUND.error());
      } else {
        out.completeExceptionally(GoError.from(e));
      }
    });
    return out;
  }
}
