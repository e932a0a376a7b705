package io.execsim.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.execsim.core.http.ApiStatus;
import io.execsim.core.http.ErrorResponder;
import io.execsim.core.http.GoHttp;
import io.execsim.core.http.GoHttpServer;
import io.execsim.core.json.GoJsonEncoder;
import io.execsim.core.http.GoResponse;
import io.execsim.core.http.HttpExchange;
import io.execsim.core.http.Query;
import io.execsim.core.http.UpgradeAwareProxy;
import io.execsim.core.net.Network;
import io.execsim.core.net.ServerProcess;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver as the exec path meets it: it listens on its address on the simulated network and serves
 * discovery ({@code /version}, {@code /api}, {@code /apis}, {@code /api/v1}), pods ({@code GET} of one pod and of
 * pod lists, with {@code fieldSelector}) and the {@code pods/exec} subresource: it authenticates the request
 * (bearer tokens, else {@code system:anonymous}), asks the {@link ExecAuthorizer}, checks the pod as
 * {@code streamLocation} does, builds the kubelet's URL and then either hands a WebSocket v5 request to the
 * {@link StreamTranslator} or proxies the upgrade to the kubelet with the {@link UpgradeAwareProxy}. Answers are
 * JSON written as the apiserver writes it; failures are {@code metav1.Status} objects.
 *
 * <p>The apiserver is also a process: {@link #kill} ends it (kubectl's dial is refused, and every connection it held
 * drops, kubectl's and its own to the kubelets, so both legs of each exec; the exec's process runs on in the
 * container), {@link #start} serves again, and {@link #restart} does both at once.
 *
 * <p>Everything runs on the simulation's scheduler, and so must the calls of these methods. Without a translator,
 * a WebSocket v5 request goes through the raw proxy, as a pre-1.30 apiserver sends it: the runtime's legacy
 * WebSocket server then refuses it and kubectl falls back to SPDY. Simplified: other resources and verbs are not
 * served; authorization applies to exec only; since 1.35 a WebSocket exec also needs {@code create}, which is not
 * modelled.
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String ANONYMOUS = "system:anonymous";
  /** The name the apiserver dials the kubelets under, the proxy and the translator alike. */
  private static final String DIALER = "apiserver";

  private final Network network;
  private final Trace trace;
  private final ApiServerConfig config;
  private final UpgradeAwareProxy proxy;
  private final Map<String, StoredPod> pods = new LinkedHashMap<>();
  private final Map<String, String> nodes = new LinkedHashMap<>();
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private volatile ExecAuthorizer authorizer = ExecAuthorizer.ALLOW_ALL;
  private volatile @Nullable StreamTranslator translator;
  private long resourceVersion;
  private final ServerProcess process;

  private record StoredPod(Pod pod, Instant created, long resourceVersion) {
  }

  /** An apiserver on {@code network} that records in {@code trace}; not yet listening. */
  public ApiServer(Network network, Trace trace, ApiServerConfig config) {
    this.network = network;
    this.trace = trace;
    this.config = config;
    this.process = new ServerProcess(network, "apiserver", config.address(), DIALER);
    this.proxy = UpgradeAwareProxy.builder(network, trace, Hop.APISERVER)
        .dialer(DIALER)
        .dialPhase(Phase.KUBELET_DIAL)
        .upgradePhase(Phase.KUBELET_UPGRADE)
        .responder(ErrorResponder.apiStatus())
        // the authentication filter deletes the header once it has authenticated the request
        .removeHeader("Authorization")
        .build();
  }

  /** The address it listens on. */
  public String address() {
    return config.address();
  }

  /** Starts listening. */
  public synchronized void start() {
    process.listen(ch -> GoHttpServer.install(ch, network.scheduler(), this::serve));
    log.info("apiserver listening on {}", address());
  }

  /** Stops listening; connections already open stay. */
  public void stop() {
    process.stopListening();
  }

  /** Whether the apiserver listens. */
  public boolean isListening() {
    return process.isListening();
  }

  /**
   * The apiserver process dies: nothing listens on its address, so kubectl's dial is refused with {@code connect:
   * connection refused}; every connection it held closes, those of its clients and those it opened to kubelets, so
   * both legs of each exec drop at once. Pods and settings are kept, as etcd keeps them.
   */
  public void kill() {
    ServerProcess.Dropped dropped = process.die();
    trace.record(Hop.APISERVER, Phase.FAULT_FIRED, "apiserver killed: " + dropped.accepted()
        + " client connection(s) and " + dropped.dialed() + " to kubelets dropped");
    log.info("apiserver killed");
  }

  /** A restart of the apiserver: {@link #kill} and {@link #start} at the same instant. */
  public void restart() {
    kill();
    start();
    trace.record(Hop.APISERVER, Phase.FAULT_FIRED, "apiserver started again");
  }

  /** Stores {@code pod}, replacing one of the same namespace and name. */
  public synchronized void putPod(Pod pod) {
    pods.put(key(pod.namespace(), pod.name()),
        new StoredPod(pod, network.scheduler().now(), ++resourceVersion));
  }

  /** Deletes the pod {@code namespace/name}; nothing happens when there is none. */
  public synchronized void removePod(String namespace, String name) {
    if (pods.remove(key(namespace, name)) != null) {
      resourceVersion++;
    }
  }

  /** The pod {@code namespace/name}, if stored. */
  public synchronized Optional<Pod> pod(String namespace, String name) {
    return Optional.ofNullable(pods.get(key(namespace, name))).map(StoredPod::pod);
  }

  /** Registers node {@code name} with its kubelet at {@code <name>:10250}. */
  public void addNode(String name) {
    addNode(name, name + ":10250");
  }

  /** Registers node {@code name} with its kubelet at {@code kubeletAddress} ({@code host:port}). */
  public synchronized void addNode(String name, String kubeletAddress) {
    nodes.put(name, kubeletAddress);
  }

  /**
   * Accepts the bearer token {@code token} as {@code user}. Once a token is registered, a request with an unknown
   * token is refused with {@code 401}; requests without credentials are {@code system:anonymous}.
   */
  public synchronized void addToken(String token, String user) {
    tokens.put(token, user);
  }

  /** Sets the authorizer of {@code pods/exec}; allows everything unless set. */
  public void setAuthorizer(ExecAuthorizer value) {
    this.authorizer = value;
  }

  /** Sets the WebSocket v5 translator; without one, such requests go through the raw proxy. */
  public void setStreamTranslator(@Nullable StreamTranslator value) {
    this.translator = value;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private void serve(HttpExchange ex) {
    trace.record(Hop.APISERVER, Phase.CLIENT_REQUEST, ex.method() + " " + ex.uri() + " from " + ex.remoteHost());
    Optional<String> user = authenticate(ex);
    if (user.isEmpty()) {
      fail(ex, ApiStatus.unauthorized());
      return;
    }
    List<String> s = GoHttp.pathSegments(ex.path());
    String path = ex.path();
    if (path.equals("/version")) {
      // the version handler writes with WriteRawJSON: indented, no newline at the end
      get(ex, () -> GoResponse.builder(200)
          .header("Cache-Control", "no-cache, private")
          .header("Content-Type", "application/json")
          .body(GoJsonEncoder.marshalIndent(ApiObjects.version(config)))
          .build());
    } else if (path.equals("/api")) {
      get(ex, () -> json(ApiObjects.apiVersions(address())));
    } else if (path.equals("/apis")) {
      get(ex, () -> json(ApiObjects.apiGroupList()));
    } else if (path.equals("/api/v1")) {
      get(ex, () -> json(ApiObjects.coreResources()));
    } else if (path.equals("/api/v1/pods")) {
      get(ex, () -> listPods(ex, Optional.empty()));
    } else if (s.size() == 5 && isNamespaced(s) && s.get(4).equals("pods")) {
      get(ex, () -> listPods(ex, Optional.of(s.get(3))));
    } else if (s.size() == 6 && isNamespaced(s) && s.get(4).equals("pods")) {
      get(ex, () -> getPod(s.get(3), s.get(5)));
    } else if (s.size() == 7 && isNamespaced(s) && s.get(4).equals("pods") && s.get(6).equals("exec")) {
      if (!ex.method().equals("GET") && !ex.method().equals("POST")) {
        fail(ex, ApiStatus.methodNotAllowed());
        return;
      }
      exec(ex, user.get(), s.get(3), s.get(5));
    } else {
      fail(ex, ApiStatus.pathNotFound());
    }
  }

  private static boolean isNamespaced(List<String> s) {
    return s.get(0).equals("api") && s.get(1).equals("v1") && s.get(2).equals("namespaces") && !s.get(3).isEmpty();
  }

  /** The user of the request, empty when its bearer token is refused. */
  private synchronized Optional<String> authenticate(HttpExchange ex) {
    String auth = ex.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth == null || tokens.isEmpty()) {
      return Optional.of(ANONYMOUS);
    }
    String token = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : "";
    return Optional.ofNullable(tokens.get(token));
  }

  private interface Answer {
    GoResponse get();
  }

  private void get(HttpExchange ex, Answer answer) {
    if (!ex.method().equals("GET")) {
      fail(ex, ApiStatus.methodNotAllowed());
      return;
    }
    ex.respond(answer.get());
  }

  /** An object as the apiserver's JSON serializer writes it: {@code json.Encoder}, so a newline at the end. */
  private static GoResponse json(ObjectNode object) {
    return GoResponse.builder(200)
        .header("Cache-Control", "no-cache, private")
        .header("Content-Type", "application/json")
        .body(GoJsonEncoder.marshal(object) + "\n")
        .build();
  }

  private synchronized GoResponse getPod(String namespace, String name) {
    StoredPod p = pods.get(key(namespace, name));
    if (p == null) {
      return GoResponse.apiStatus(ApiStatus.notFound("pods", name));
    }
    return json(ApiObjects.pod(p.pod(), p.created(), p.resourceVersion(), true));
  }

  private synchronized GoResponse listPods(HttpExchange ex, Optional<String> namespace) {
    Query q = ex.query();
    Predicate<Pod> selected;
    try {
      selected = fieldSelector(q.get("fieldSelector"));
    } catch (IllegalArgumentException e) {
      return GoResponse.apiStatus(ApiStatus.badRequest(e.getMessage()));
    }
    if (q.get("watch").equals("true") || q.get("watch").equals("1")) {
      // TODO: a watch answers the head of an event stream and then nothing; no events are sent
      return GoResponse.builder(200)
          .header("Cache-Control", "no-cache, private")
          .header("Content-Type", "application/json")
          .streaming()
          .build();
    }
    List<ObjectNode> items = new ArrayList<>();
    for (StoredPod p : pods.values()) {
      if (namespace.map(p.pod().namespace()::equals).orElse(true) && selected.test(p.pod())) {
        items.add(ApiObjects.pod(p.pod(), p.created(), p.resourceVersion(), false));
      }
    }
    return json(ApiObjects.podList(items, resourceVersion));
  }

  /**
   * A field selector of pods: {@code field=value}, {@code field==value} and {@code field!=value}, joined by commas,
   * over the fields exec clients select on; others are refused as the apiserver refuses unknown labels.
   */
  private static Predicate<Pod> fieldSelector(String selector) {
    Predicate<Pod> all = p -> true;
    if (selector.isEmpty()) {
      return all;
    }
    for (String term : selector.split(",")) {
      boolean negate = term.contains("!=");
      String[] kv = term.split(negate ? "!=" : "==?", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
      }
      String field = kv[0].strip();
      String value = kv[1].strip();
      Predicate<Pod> test = switch (field) {
        case "metadata.name" -> p -> p.name().equals(value);
        case "metadata.namespace" -> p -> p.namespace().equals(value);
        case "spec.nodeName" -> p -> p.nodeName().orElse("").equals(value);
        case "status.phase" -> p -> p.phase().value().equals(value);
        default -> throw new IllegalArgumentException("field label not supported: " + field);
      };
      all = all.and(negate ? test.negate() : test);
    }
    return all;
  }

  private void exec(HttpExchange ex, String user, String namespace, String podName) {
    // the authorization filter: POST is create, GET is get
    String verb = ex.method().equals("POST") ? "create" : "get";
    ExecAuthorizer.Decision decision = authorizer.authorize(
        new ExecAuthorizer.Attributes(user, verb, namespace, podName));
    if (decision instanceof ExecAuthorizer.Decision.Deny deny) {
      String why = "User " + GoJsonEncoder.quote(user) + " cannot " + verb + " resource \"pods/exec\" in API group \"\""
          + " in the namespace " + GoJsonEncoder.quote(namespace);
      fail(ex, ApiStatus.forbidden("pods", podName, deny.reason().isEmpty() ? why : why + ": " + deny.reason()));
      return;
    }
    ExecOptions options = ExecOptions.fromQuery(ex.query());
    Optional<Pod> found = pod(namespace, podName);
    if (found.isEmpty()) {
      fail(ex, ApiStatus.notFound("pods", podName));
      return;
    }
    Pod pod = found.get();
    Optional<String> container = validateContainer(ex, pod, options.container());
    if (container.isEmpty()) {
      return;
    }
    if (pod.nodeName().isEmpty()) {
      fail(ex, ApiStatus.badRequest("pod " + podName + " does not have a host assigned"));
      return;
    }
    String nodeName = pod.nodeName().get();
    String kubelet;
    synchronized (this) {
      kubelet = nodes.get(nodeName);
    }
    if (kubelet == null) {
      fail(ex, ApiStatus.notFound("nodes", nodeName));
      return;
    }
    String target = "/exec/" + namespace + "/" + podName + "/" + container.get() + "?"
        + options.kubeletQuery().encode();
    StreamTranslator t = translator;
    if (t != null && isWebSocketV5(ex)) {
      trace.record(Hop.APISERVER, Phase.CLIENT_UPGRADE, "WebSocket " + StreamProtocol.V5
          + " for " + namespace + "/" + podName + "/" + container.get() + ": to the stream translator");
      ex.handOver();
      t.translate(ex.ctx(), ex.request(), new ExecTarget(kubelet, kubelet, target, Map.of()), options);
      return;
    }
    if (ex.isUpgradeRequest()) {
      trace.record(Hop.APISERVER, Phase.CLIENT_UPGRADE, ex.headers().get(HttpHeaderNames.UPGRADE) + " for "
          + namespace + "/" + podName + "/" + container.get() + ": proxied to " + kubelet);
    }
    proxy.serve(ex, kubelet, target);
  }

  /** {@code validateContainer} of {@code strategy.go}: the container named, or the only one; 400 otherwise. */
  private Optional<String> validateContainer(HttpExchange ex, Pod pod, String container) {
    if (!container.isEmpty()) {
      if (pod.container(container).isEmpty()) {
        fail(ex, ApiStatus.badRequest("container " + container + " is not valid for pod " + pod.name()));
        return Optional.empty();
      }
      return Optional.of(container);
    }
    if (pod.containers().size() == 1) {
      return Optional.of(pod.containers().get(0).name());
    }
    if (pod.containers().isEmpty()) {
      fail(ex, ApiStatus.badRequest("a container name must be specified for pod " + pod.name()));
      return Optional.empty();
    }
    List<String> names = pod.containers().stream().map(PodContainer::name).toList();
    fail(ex, ApiStatus.badRequest("a container name must be specified for pod " + pod.name() + ", choose one of: "
        + "[" + String.join(" ", names) + "]"));
    return Optional.empty();
  }

  /** {@code wsstream.IsWebSocketRequestWithStreamCloseProtocol}: a WebSocket upgrade that offers v5. */
  private static boolean isWebSocketV5(HttpExchange ex) {
    if (!GoHttp.isWebSocketRequest(ex.headers())) {
      return false;
    }
    String offered = ex.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (offered == null) {
      return false;
    }
    for (String p : offered.strip().split(",")) {
      if (p.strip().equals(StreamProtocol.V5)) {
        return true;
      }
    }
    return false;
  }

  private void fail(HttpExchange ex, ApiStatus status) {
    trace.record(Hop.APISERVER, Phase.EXEC_FAILED, status.code() + " " + status.message());
    ex.respond(GoResponse.apiStatus(status));
  }
}
