package io.execsim.testkit;

import io.execsim.apiserver.ApiServer;
import io.execsim.apiserver.ApiServerConfig;
import io.execsim.apiserver.Pod;
import io.execsim.apiserver.PodPhase;
import io.execsim.apiserver.WebSocketSpdyTranslator;
import io.execsim.core.error.GoText;
import io.execsim.core.fault.FaultPlan;
import io.execsim.core.net.Link;
import io.execsim.core.net.Network;
import io.execsim.core.net.TcpFront;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.remotecommand.SpdyExecutor;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.RealtimeScheduler;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.websocket.WebSocketExecutor;
import io.execsim.cri.ContainerdConfig;
import io.execsim.cri.streaming.StreamRuntime;
import io.execsim.cri.streaming.StreamingServer;
import io.execsim.cri.streaming.WebSocketExecServer;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.Kubectl;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import io.execsim.kubelet.Kubelet;
import io.execsim.kubelet.KubeletConfig;
import io.execsim.kubelet.KubeletContainer;
import io.execsim.kubelet.KubeletPod;
import io.execsim.kubelet.RemoteRuntimeService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole simulated cluster: an apiserver, nodes each with a kubelet and the runtime half (containerd with its
 * streaming server, the shim, runc), pods with running containers, and the kubectl model to exec into them. All
 * hops share one scheduler, one network and one trace. In the default deterministic mode everything runs in
 * virtual time on the calling thread; in realtime mode the cluster can {@link #serve} its apiserver on a loopback
 * port for real clients.
 *
 * <p>Node {@code i} (from 0, in the order declared) has the internal IP {@code 10.0.0.<11 + i>}, where its kubelet
 * listens on port 10250; the kubelet reaches containerd over its socket. The streaming server lives and dies with
 * containerd. {@link #startExec} runs an exec while a test breaks hops ({@link #apiServer()}, {@link #kubelet},
 * {@link #streaming}, {@link #node}), and gives its outcome with the ground truth; {@link #execWithOutcome} is the
 * same without a break.
 */
public final class SimCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimCluster.class);
  private static final int FIRST_STREAM_PORT = 10010;
  private static final int FIRST_NODE_HOST = 11;
  /** How often the kubelet's pod lifecycle event generator lists the containers ({@code relistPeriod}). */
  private static final Duration RELIST_PERIOD = Duration.ofSeconds(1);

  private final Scheduler scheduler;
  private final SimRandom random;
  private final Trace trace;
  private final Network network;
  private final ApiServer apiServer;
  private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
  private final KubectlOptions kubectl;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<FaultPlan> plans = new ArrayList<>();
  private final List<FaultInjector> injectors = new ArrayList<>();
  private final List<Consumer<Link>> linkListeners = new CopyOnWriteArrayList<>();
  private final RestartBackOff backOff = new RestartBackOff();
  private volatile boolean closing;

  private record ClusterNode(SimNode runtime, Kubelet kubelet, StreamingServer streaming) {
  }

  private SimCluster(Builder b) {
    this.scheduler = b.realtime ? new RealtimeScheduler(b.awaitLimit) : new DeterministicScheduler();
    if (scheduler instanceof AutoCloseable) {
      closeables.add((AutoCloseable) scheduler);
    }
    this.random = new SimRandom(b.seed);
    this.trace = new Trace(scheduler);
    this.network = new Network(scheduler, random, trace);
    network.setCapture(b.capture);
    network.addLinkListener(link -> linkListeners.forEach(l -> l.accept(link)));
    this.kubectl = b.kubectl;
    this.apiServer = new ApiServer(network, trace, ApiServerConfig.DEFAULT);
    apiServer.setStreamTranslator(new WebSocketSpdyTranslator(network, trace, random));
    int port = FIRST_STREAM_PORT;
    int host = FIRST_NODE_HOST;
    for (String name : b.nodes) {
      addNode(name, port++, "10.0.0." + host++);
    }
    apiServer.start();
    for (SimPod pod : b.pods) {
      addPod(pod);
    }
    log.info("cluster up: {} node(s), {} pod(s), seed {}", nodes.size(), b.pods.size(), b.seed);
  }

  private void addNode(String name, int streamPort, String ip) {
    SimNode.Builder nb = SimNode.builder().name(name).containerd(ContainerdConfig.defaults(streamPort));
    SimNode runtime = new SimNode(nb, scheduler, random, trace);
    StreamingServer streaming = new StreamingServer(runtime.node(), network, ContainerdConfig.defaults(streamPort),
        StreamRuntime.of(runtime.containerd()),
        new WebSocketExecServer(runtime.node(), StreamRuntime.of(runtime.containerd())));
    streaming.start();
    // the streaming server is part of containerd's process
    runtime.containerd().onExit(streaming::kill);
    runtime.containerd().onStart(streaming::start);
    Kubelet kubelet = new Kubelet(runtime.node(), network,
        new RemoteRuntimeService(runtime.node(), runtime.containerd().config().address()),
        KubeletConfig.DEFAULT.withHost(ip));
    kubelet.start();
    apiServer.addNode(name, kubelet.address());
    nodes.put(name, new ClusterNode(runtime, kubelet, streaming));
  }

  private void addPod(SimPod pod) {
    String uid = random.hex(16);
    Pod.Builder api = Pod.builder(pod.namespace(), pod.name()).uid(uid).phase(phase(pod.phase()));
    pod.annotations().forEach(api::annotation);
    List<KubeletContainer> running = new ArrayList<>();
    for (Map.Entry<String, ContainerImage> c : pod.containers().entrySet()) {
      api.container(c.getKey(), "busybox");
      if (pod.node().isPresent() && pod.phase().equals("Running")) {
        String id = random.hex(32);
        node(pod.node().get()).runContainer(id, c.getValue());
        running.add(new KubeletContainer(c.getKey(), id, true));
        restartWhenEnded(pod, c.getKey(), id, c.getValue());
      }
    }
    if (pod.node().isPresent()) {
      String nodeName = pod.node().get();
      if (!nodes.containsKey(nodeName)) {
        throw new IllegalArgumentException("pod " + pod.name() + " names an unknown node: " + nodeName);
      }
      api.nodeName(nodeName);
      nodes.get(nodeName).kubelet().pods().put(new KubeletPod(pod.namespace(), pod.name(), uid, running));
    }
    apiServer.putPod(api.build());
  }

  /**
   * The kubelet's restart policy {@code Always}: when container {@code name} of {@code pod}, running as {@code id},
   * ends, the kubelet notices at its next relist, a second later, and starts a new container in its place, which
   * later execs reach. A container that keeps ending waits out its {@link RestartBackOff} first; meanwhile the pod
   * worker tries again every 10 to 15 s.
   */
  private void restartWhenEnded(SimPod pod, String name, String id, ContainerImage image) {
    String nodeName = pod.node().orElseThrow();
    node(nodeName).containerEnded(id).thenRun(() -> {
      Instant ended = scheduler.now();
      scheduler.schedule(RELIST_PERIOD, () -> syncEnded(pod, name, image, ended));
    });
  }

  /** A pod worker's sync of the pod whose container {@code name} ended at {@code ended}. */
  // Simplified: the back-off outlives a kubelet restart, which in a real kubelet starts with none
  private void syncEnded(SimPod pod, String name, ContainerImage image, Instant ended) {
    if (closing) {
      return;
    }
    String nodeName = pod.node().orElseThrow();
    Kubelet kubelet = kubelet(nodeName);
    if (!kubelet.isListening()) {
      // a kubelet that is down syncs nothing; it relists once it is back
      scheduler.schedule(RELIST_PERIOD, () -> syncEnded(pod, name, image, ended));
      return;
    }
    String key = pod.namespace() + "/" + pod.name() + "/" + name;
    if (backOff.isInBackOffSince(key, ended, scheduler.now())) {
      trace.record(Hop.KUBELET, Phase.FAULT_FIRED, "back-off " + GoText.duration(backOff.get(key))
          + " restarting failed container=" + name + " pod=" + pod.name() + "_" + pod.namespace());
      // wait.Jitter(backOffPeriod, 0.5): the pod worker's requeue after a failed sync
      Duration retry = RestartBackOff.PERIOD.plusNanos((long) (random.nextDouble() * 0.5
          * RestartBackOff.PERIOD.toNanos()));
      scheduler.schedule(retry, () -> syncEnded(pod, name, image, ended));
      return;
    }
    backOff.next(key, ended, scheduler.now());
    String next = random.hex(32);
    trace.record(Hop.KUBELET, Phase.FAULT_FIRED, "container " + name + " of " + pod.namespace() + "/"
        + pod.name() + " ended; starting it again as " + next);
    node(nodeName).runContainerLater(next, image).thenRun(() -> {
      kubelet.pods().get(pod.namespace(), pod.name()).ifPresent(p -> kubelet.pods().put(new KubeletPod(
          p.namespace(), p.name(), p.uid(), p.containers().stream()
              .map(c -> c.name().equals(name) ? new KubeletContainer(name, next, true) : c).toList())));
      restartWhenEnded(pod, name, next, image);
    });
  }

  private static PodPhase phase(String value) {
    for (PodPhase p : PodPhase.values()) {
      if (p.value().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown pod phase: " + value);
  }

  /** A builder of a deterministic cluster with seed 1 and no nodes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SimCluster}s. */
  public static final class Builder {
    private long seed = 1;
    private boolean realtime;
    private Duration awaitLimit = Duration.ofSeconds(60);
    private boolean capture;
    private KubectlOptions kubectl = KubectlOptions.latest();
    private final List<String> nodes = new ArrayList<>();
    private final List<SimPod> pods = new ArrayList<>();

    private Builder() {
    }

    /** The seed of every random choice. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** Runs on the system clock and real threads, so that real clients can connect; see {@link #serve}. */
    public Builder realtime() {
      realtime = true;
      return this;
    }

    /** Keeps the bytes of every link for tests that decode them. */
    public Builder captureLinks() {
      capture = true;
      return this;
    }

    /** The kubectl version the model behaves as. */
    public Builder kubectl(KubectlOptions value) {
      kubectl = value;
      return this;
    }

    /** A node named {@code name}. */
    public Builder node(String name) {
      if (nodes.contains(name)) {
        throw new IllegalArgumentException("node declared twice: " + name);
      }
      nodes.add(name);
      return this;
    }

    /** A pod; its containers start on its node when the cluster is built. */
    public Builder pod(SimPod pod) {
      pods.add(pod);
      return this;
    }

    /** Starts the cluster. */
    public SimCluster build() {
      return new SimCluster(this);
    }
  }

  /** {@code kubectl exec} with the cluster's kubectl version; completes with what the user sees. */
  public KubectlResult exec(ExecCommand command) {
    return exec(kubectl, command);
  }

  /** {@code kubectl exec} with a given kubectl version. */
  public KubectlResult exec(KubectlOptions options, ExecCommand command) {
    return scheduler.await(kubectl(options).exec(command));
  }

  /**
   * Starts {@code kubectl exec} with the cluster's kubectl version and returns at once; the exec goes on as the
   * simulation runs. Its outcome carries the ground truth.
   */
  public SimExec startExec(ExecCommand command) {
    return startExec(kubectl, command);
  }

  /** Starts {@code kubectl exec} with a given kubectl version and returns at once; see {@link #startExec}. */
  public SimExec startExec(KubectlOptions options, ExecCommand command) {
    return startExec(options, command, FaultPlan.of());
  }

  /**
   * Starts {@code kubectl exec} with the cluster's kubectl version under the faults of {@code plan}, and returns at
   * once. The plan's times count from now; its faults on the node's parts act on the node of the exec's pod. The
   * faults hold until their durations pass or {@link SimExec#endFaults} (or {@link #endFaults}) ends them.
   */
  public SimExec startExec(ExecCommand command, FaultPlan plan) {
    return startExec(kubectl, command, plan);
  }

  /** Starts {@code kubectl exec} with a given kubectl version under {@code plan}; see {@link #startExec}. */
  public SimExec startExec(KubectlOptions options, ExecCommand command, FaultPlan plan) {
    plans.add(plan);
    // the truth's baseline is taken, and the faults armed, before kubectl sends anything
    return new SimExec(this, target(command), plan, () -> kubectl(options).exec(command));
  }

  /**
   * {@code kubectl exec} under {@code plan}, to its end: what the user saw beside the truth. The faults stay in
   * force until {@link #endFaults}.
   */
  public ExecOutcome execWithOutcome(ExecCommand command, FaultPlan plan) {
    return startExec(command, plan).outcome();
  }

  /** The fault plans of the execs started so far, in order; empty plans included. */
  public List<FaultPlan> plans() {
    return List.copyOf(plans);
  }

  /** Ends the faults of every exec started under a plan; see {@link SimExec#endFaults}. */
  public void endFaults() {
    List.copyOf(injectors).forEach(FaultInjector::end);
    injectors.clear();
  }

  /** Keeps {@code injector} to end it with the others. */
  void armed(FaultInjector injector) {
    injectors.removeIf(FaultInjector::isEnded);
    injectors.add(injector);
  }

  /** Runs {@code listener} with each link dialed from now on, until the returned action is run. */
  Runnable onLink(Consumer<Link> listener) {
    linkListeners.add(listener);
    return () -> linkListeners.remove(listener);
  }

  /** {@code kubectl exec} with the cluster's kubectl version, to its end: what the user saw beside the truth. */
  public ExecOutcome execWithOutcome(ExecCommand command) {
    return startExec(command).outcome();
  }

  /** {@code kubectl exec} with a given kubectl version, to its end: what the user saw beside the truth. */
  public ExecOutcome execWithOutcome(KubectlOptions options, ExecCommand command) {
    return startExec(options, command).outcome();
  }

  private Kubectl kubectl(KubectlOptions options) {
    return new Kubectl(network, apiServer.address(), options, trace,
        target -> new WebSocketExecutor(network, "kubectl", target, random),
        target -> new SpdyExecutor(network, "kubectl", "https", target, options.spdyProtocols()));
  }

  /** The node, container and command an exec will run as, if the pod is bound and its container runs. */
  private Optional<SimExec.Target> target(ExecCommand command) {
    Optional<Pod> pod = apiServer.pod(command.namespace(), command.pod());
    if (pod.isEmpty() || pod.get().nodeName().isEmpty() || !nodes.containsKey(pod.get().nodeName().get())) {
      return Optional.empty();
    }
    ClusterNode n = nodes.get(pod.get().nodeName().get());
    String container = command.container().orElseGet(() -> defaultContainer(pod.get()));
    return n.kubelet().pods().get(command.namespace(), command.pod())
        .flatMap(p -> p.container(container))
        .map(c -> new SimExec.Target(n.runtime(), c.id(), command.command()));
  }

  /** kubectl's choice without {@code -c}: the annotated default container, else the first. */
  private static String defaultContainer(Pod pod) {
    String annotated = pod.annotations().getOrDefault(Pod.DEFAULT_CONTAINER_ANNOTATION, "");
    if (!annotated.isEmpty() && pod.container(annotated).isPresent()) {
      return annotated;
    }
    return pod.containers().isEmpty() ? "" : pod.containers().get(0).name();
  }

  /** Opens the apiserver on {@code 127.0.0.1:port} (0 for any free port); needs realtime mode. */
  public Served serve(int port) {
    if (!(scheduler instanceof RealtimeScheduler)) {
      throw new IllegalStateException("serving real clients needs a realtime cluster: SimCluster.builder().realtime()");
    }
    TcpFront front = TcpFront.open(network, apiServer.address(), port);
    closeables.add(front);
    return new Served(front);
  }

  /** The apiserver opened on a loopback port. */
  public static final class Served {
    private final TcpFront front;

    private Served(TcpFront front) {
      this.front = front;
    }

    /** The loopback port. */
    public int port() {
      return front.port();
    }

    /** Writes a kubeconfig for {@code http://127.0.0.1:<port>} with {@code namespace} as default; returns the file. */
    public Path writeKubeconfig(Path file, String namespace) {
      return Kubeconfig.write(file, port(), namespace);
    }
  }

  /** The node {@code name}'s runtime half. */
  public SimNode node(String name) {
    ClusterNode n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no such node: " + name);
    }
    return n.runtime();
  }

  /** The names of the nodes, in the order declared. */
  public List<String> nodeNames() {
    return List.copyOf(nodes.keySet());
  }

  /** The kubelet of node {@code name}. */
  public Kubelet kubelet(String name) {
    node(name);
    return nodes.get(name).kubelet();
  }

  /** The CRI streaming server of node {@code name}'s containerd. */
  public StreamingServer streaming(String name) {
    node(name);
    return nodes.get(name).streaming();
  }

  /** The runtime's id of container {@code container} of pod {@code namespace/pod}, as its node's kubelet knows it. */
  public String containerId(String namespace, String pod, String container) {
    for (ClusterNode n : nodes.values()) {
      Optional<String> id = n.kubelet().pods().get(namespace, pod).flatMap(p -> p.container(container))
          .map(KubeletContainer::id);
      if (id.isPresent()) {
        return id.get();
      }
    }
    throw new IllegalArgumentException("no running container " + container + " in pod " + namespace + "/" + pod);
  }

  /** The apiserver. */
  public ApiServer apiServer() {
    return apiServer;
  }

  /** The network between the hops. */
  public Network network() {
    return network;
  }

  /** The trace of every hop. */
  public Trace trace() {
    return trace;
  }

  /** The scheduler of every hop. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * What execs left that the real chain removes: on every node, what {@link SimNode#leftovers()} names; and each
   * connection open at both ends, as {@code link <name>} (one closed end always closes the other a moment later).
   */
  public List<String> leftovers() {
    List<String> out = new ArrayList<>();
    nodes.values().forEach(n -> out.addAll(n.runtime().leftovers()));
    network.openLinks().stream().filter(l -> l.client().isOpen() && l.server().isOpen())
        .forEach(l -> out.add("link " + l.name()));
    return out;
  }

  /**
   * In virtual time, runs what is due, advancing the clock, until no task is left or {@code limit} has passed;
   * answers whether none was left. A task that keeps scheduling itself (a ping of a connection that never ends)
   * makes it answer false. Fails in realtime mode.
   */
  public boolean runUntilIdle(Duration limit) {
    if (!(scheduler instanceof DeterministicScheduler d)) {
      throw new IllegalStateException("a realtime cluster has no virtual clock to advance");
    }
    return d.advanceUntil(() -> d.pending() == 0, limit);
  }

  /** The virtual clock of a deterministic cluster, to advance it between steps; fails in realtime mode. */
  public DeterministicScheduler clock() {
    if (!(scheduler instanceof DeterministicScheduler d)) {
      throw new IllegalStateException("a realtime cluster has no virtual clock to advance");
    }
    return d;
  }

  /** Ends the faults, stops serving, ends the containers' processes, and stops the realtime thread. */
  @Override
  public void close() {
    closing = true;
    scheduler.await(CompletableFuture.runAsync(() -> {
      endFaults();
      // the clients go first, so that no exec's client keeps pinging its connection
      network.openLinks().stream().filter(l -> l.client().isRegistered()).forEach(l -> l.client().close());
    }, scheduler));
    scheduler.await(CompletableFuture.runAsync(
        () -> nodes.values().forEach(n -> n.runtime().close()), scheduler));
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", closeables.get(i), e);
      }
    }
  }
}
