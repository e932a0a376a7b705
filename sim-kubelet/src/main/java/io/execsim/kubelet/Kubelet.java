package io.execsim.kubelet;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.cri.RuntimeService;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.http.ErrorResponder;
import io.execsim.core.http.GoHttp;
import io.execsim.core.http.GoHttpServer;
import io.execsim.core.http.GoResponse;
import io.execsim.core.http.HttpExchange;
import io.execsim.core.http.Query;
import io.execsim.core.http.UpgradeAwareProxy;
import io.execsim.core.net.Network;
import io.execsim.core.net.ServerProcess;
import io.execsim.core.node.Node;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's server as the exec path uses it ({@code pkg/kubelet/server/server.go}): it listens on
 * {@code <node>:10250}, runs every request through its authentication and authorization filter
 * ({@link KubeletAuth}), and serves {@code GET|POST /exec/{namespace}/{pod}[/{uid}]/{container}}: it reads the
 * stream options, finds the pod and the running container ({@link KubeletPods}), asks the runtime for a streaming
 * URL with CRI {@code Exec} (bounded by the runtime request timeout), and proxies the upgrade to that URL with the
 * {@link UpgradeAwareProxy}. Errors carry the kubelet's texts and status codes.
 *
 * <p>The kubelet is also a process, and its faults are those of one: {@link #kill} ends it (nothing listens, so
 * the apiserver's dial is refused, and every connection it held drops: both legs of each exec it proxies, while the
 * exec's process runs on in the container), {@link #start} serves again, {@link #restart} does both at once.
 * {@link #setAuth} switches what its filter answers (401, 403, 500) and {@link #setDelay} makes it slow; both take
 * effect for the requests that arrive from then on.
 *
 * <p>Everything runs on the simulation's scheduler, and so must the calls of these methods. {@link #stop()} stops
 * the listener only; connections already open stay. Other kubelet endpoints (attach, port-forward, logs, run) are
 * not served: they answer go-restful's 404. TODO: the streaming URL's host is dialled as is, so two nodes whose
 * runtimes share a loopback address and port would reach the same listener.
 */
public final class Kubelet {
  private static final Logger log = LoggerFactory.getLogger(Kubelet.class);

  private final Node node;
  private final Network network;
  private final RuntimeService runtime;
  private final KubeletConfig config;
  private final Trace trace;
  private final KubeletPods pods = new KubeletPods();
  private final UpgradeAwareProxy proxy;
  private final String dialer;
  private volatile KubeletAuth auth = new KubeletAuth.Allow();
  private volatile Duration delay = Duration.ZERO;
  private final ServerProcess process;
  /** The kubelet process's incarnation; work started by an earlier one is dropped, as it died with it. */
  private int incarnation;

  /** A kubelet of {@code node} that serves on {@code network} and calls {@code runtime}; not yet listening. */
  public Kubelet(Node node, Network network, RuntimeService runtime, KubeletConfig config) {
    this.node = node;
    this.network = network;
    this.runtime = runtime;
    this.config = config;
    this.trace = node.trace();
    this.dialer = "kubelet@" + node.name();
    this.process = new ServerProcess(network, "kubelet", address(), dialer);
    this.proxy = UpgradeAwareProxy.builder(network, trace, Hop.KUBELET)
        .dialer(dialer)
        .dialPhase(Phase.STREAMING_UPGRADE)
        .upgradePhase(Phase.STREAMING_UPGRADE)
        .responder(ErrorResponder.plainText())
        .build();
  }

  /** The address the kubelet listens on: {@code <host>:<port>}, the host being the node's name unless configured. */
  public String address() {
    return config.host().orElse(node.name()) + ":" + config.port();
  }

  /** The pods the kubelet knows. */
  public KubeletPods pods() {
    return pods;
  }

  /** What the authentication and authorization filter decides now. */
  public KubeletAuth auth() {
    return auth;
  }

  /** Changes what the filter decides, for the requests that arrive from now on. */
  public void setAuth(KubeletAuth value) {
    this.auth = value;
  }

  /**
   * Makes the kubelet slow: from now on it handles each request {@code value} after it arrived (zero for at once).
   * The answers stay the same; only their time changes.
   */
  public void setDelay(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("a kubelet's delay must not be negative: " + value);
    }
    this.delay = value;
  }

  /** How long the kubelet waits before it handles a request. */
  public Duration delay() {
    return delay;
  }

  /** Starts listening on {@link #address()}. */
  public synchronized void start() {
    process.listen(ch -> GoHttpServer.install(ch, network.scheduler(), this::serve));
    log.info("kubelet {} listening on {}", node.name(), address());
  }

  /** Stops listening; connections already open stay. */
  public void stop() {
    process.stopListening();
  }

  /** Whether the kubelet listens. */
  public boolean isListening() {
    return process.isListening();
  }

  /**
   * The kubelet process dies ({@code SIGKILL}, or the stop half of {@code systemctl restart kubelet}): nothing
   * listens on its address any more, so the apiserver's dial is refused; every connection it held closes, those the
   * apiserver opened to it and those it opened to the streaming server, so both legs of each exec drop at once; its
   * connection to the runtime closes; and nothing it was doing goes on. The exec's process in the container is not
   * the kubelet's and runs on.
   */
  public void kill() {
    synchronized (this) {
      incarnation++;
    }
    ServerProcess.Dropped dropped = process.die();
    trace.record(Hop.KUBELET, Phase.FAULT_FIRED, "kubelet killed: " + dropped.accepted()
        + " connection(s) from the apiserver and " + dropped.dialed() + " to the runtime dropped");
    log.info("kubelet {} killed", node.name());
    if (runtime instanceof RemoteRuntimeService remote) {
      remote.disconnect();
    }
  }

  /**
   * {@code systemctl restart kubelet}: {@link #kill} and {@link #start} at the same instant. Execs that went through
   * the old process lose both legs; new ones are served.
   */
  public void restart() {
    kill();
    start();
    trace.record(Hop.KUBELET, Phase.FAULT_FIRED, "kubelet started again");
  }

  private synchronized boolean isCurrent(int at) {
    return at == incarnation;
  }

  private void serve(HttpExchange ex) {
    Duration wait = delay;
    if (wait.isZero()) {
      handle(ex);
      return;
    }
    if (ex.isUpgradeRequest()) {
      // keep the bytes that follow the request while the kubelet is busy
      ex.hijack();
    }
    int at;
    synchronized (this) {
      at = incarnation;
    }
    trace.record(Hop.KUBELET, Phase.KUBELET_UPGRADE, "slow: " + ex.method() + " " + ex.path() + " handled in "
        + GoText.duration(wait));
    network.scheduler().schedule(wait, () -> {
      if (isCurrent(at)) {
        handle(ex);
      }
    });
  }

  private void handle(HttpExchange ex) {
    trace.record(Hop.KUBELET, Phase.KUBELET_UPGRADE, ex.method() + " " + ex.uri() + " from " + ex.remoteHost());
    if (!authorized(ex)) {
      return;
    }
    List<String> segments = GoHttp.pathSegments(ex.path());
    boolean exec = !segments.isEmpty() && segments.get(0).equals("exec")
        && (segments.size() == 4 || segments.size() == 5) && segments.stream().noneMatch(String::isEmpty);
    if (!exec) {
      // go-restful's router: no web service matches the path
      reply(ex, GoResponse.text(404, "404: Page Not Found"));
      return;
    }
    if (!ex.method().equals("GET") && !ex.method().equals("POST")) {
      reply(ex, GoResponse.text(405, "405: Method Not Allowed"));
      return;
    }
    String uid = segments.size() == 5 ? segments.get(3) : "";
    getExec(ex, segments.get(1), segments.get(2), uid, segments.get(segments.size() - 1));
  }

  /** The filter of {@code InstallAuthFilter}; answers and returns false when the request may not pass. */
  private boolean authorized(HttpExchange ex) {
    KubeletAuth decision = auth;
    String verb = verb(ex.method());
    if (decision instanceof KubeletAuth.Unauthenticated) {
      reply(ex, GoResponse.text(401, "Unauthorized"));
      return false;
    }
    if (decision instanceof KubeletAuth.Forbidden f) {
      reply(ex, GoResponse.text(403, "Forbidden (user=" + f.user() + ", verb=" + verb
          + ", resource=nodes, subresource(s)=[proxy])\n"));
      return false;
    }
    if (decision instanceof KubeletAuth.AuthorizerError e) {
      reply(ex, GoResponse.text(500, "Authorization error (user=" + e.user() + ", verb=" + verb
          + ", resource=nodes, subresource=proxy)"));
      return false;
    }
    return true;
  }

  /** The authorizer verb of a request method, as the kubelet's {@code GetRequestAttributes} maps it. */
  private static String verb(String method) {
    return switch (method) {
      case "POST" -> "create";
      case "GET" -> "get";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> "";
    };
  }

  private void getExec(HttpExchange ex, String namespace, String podName, String uid, String containerName) {
    Query q = ex.query();
    boolean tty = q.get("tty").equals("1");
    boolean stdin = q.get("input").equals("1");
    boolean stdout = q.get("output").equals("1");
    boolean stderr = q.get("error").equals("1");
    // remotecommand.NewOptions: with a TTY stderr is merged into stdout, so it is dropped before the check
    if (tty && stderr) {
      stderr = false;
    }
    if (!stdin && !stdout && !stderr) {
      reply(ex, GoResponse.text(400, "you must specify at least 1 of stdin, stdout, stderr"));
      return;
    }
    Optional<KubeletPod> pod = pods.get(namespace, podName);
    if (pod.isEmpty()) {
      reply(ex, GoResponse.text(404, "pod does not exist"));
      return;
    }
    if (ex.isUpgradeRequest()) {
      // keep the bytes that follow the request while the runtime is asked
      ex.hijack();
    }
    // GetExec finds the container among the running pods of the runtime, by uid when the path names one
    Optional<KubeletContainer> container = pod.filter(p -> uid.isEmpty() || p.uid().equals(uid))
        .flatMap(p -> p.container(containerName))
        .filter(KubeletContainer::running);
    if (container.isEmpty()) {
      writeError(ex, GoError.of("container not found (" + GoText.quote(containerName) + ")"));
      return;
    }
    List<String> cmd = q.all("command");
    ExecRequest request = new ExecRequest(container.get().id(), cmd, tty, stdin, stdout, stderr);
    trace.record(Hop.KUBELET, Phase.CRI_EXEC, "Exec " + container.get().id() + " " + GoText.slice(cmd));
    int at;
    synchronized (this) {
      at = incarnation;
    }
    callExec(request).whenComplete((res, err) -> {
      if (!isCurrent(at)) {
        // the process that made the call is gone, and so is the request it would have answered
        return;
      }
      if (err != null) {
        GoError e;
        try {
          e = GoError.from(err);
        } catch (RuntimeException | Error bug) {
          log.warn("{}: the runtime failed with a programming error; closing the connection", ex, bug);
          ex.channel().close();
          return;
        }
        writeError(ex, e);
        return;
      }
      if (res.url().isEmpty()) {
        writeError(ex, GoError.of("URL is not set"));
        return;
      }
      trace.record(Hop.KUBELET, Phase.CRI_EXEC, "streaming URL " + res.url());
      proxyTo(ex, res.url());
    });
  }

  /** The CRI call bounded by the runtime request timeout, as the CRI client's context deadline bounds it. */
  private CompletableFuture<ExecResponse> callExec(ExecRequest request) {
    Scheduler scheduler = network.scheduler();
    CompletableFuture<ExecResponse> done = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(config.runtimeRequestTimeout(), () -> done.completeExceptionally(
        RpcError.of(RpcCode.DEADLINE_EXCEEDED, "context deadline exceeded")));
    runtime.exec(request).whenComplete((res, err) -> {
      timer.cancel();
      if (err != null) {
        done.completeExceptionally(err);
      } else {
        done.complete(res);
      }
    });
    return done;
  }

  private void proxyTo(HttpExchange ex, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      writeError(ex, GoError.of("parse " + GoText.quote(url) + ": " + e.getReason()));
      return;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    // the proxy goes to the runtime's URL; the token in it stands for everything the request asked
    proxy.serve(ex, uri.getHost() + ":" + port, target);
  }

  /** {@code streaming.WriteError}: the status by gRPC code, the error's text as the body. */
  private void writeError(HttpExchange ex, GoError err) {
    RpcCode code = err instanceof RpcError rpc ? rpc.code() : RpcCode.UNKNOWN;
    GoResponse response = switch (code) {
      case NOT_FOUND -> GoResponse.text(404, err.text());
      // only a flood of execs fills the token cache, so the client waits its whole TTL
      case RESOURCE_EXHAUSTED -> GoResponse.builder(429).header("Retry-After", "60").body(err.text()).build();
      default -> GoResponse.text(500, err.text());
    };
    reply(ex, response);
  }

  private void reply(HttpExchange ex, GoResponse response) {
    trace.record(Hop.KUBELET, Phase.EXEC_FAILED, response.code() + " " + response.bodyText().strip());
    ex.respond(response);
  }
}
