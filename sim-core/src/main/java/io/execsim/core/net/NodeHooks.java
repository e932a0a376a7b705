package io.execsim.core.net;

import io.execsim.core.error.GoError;
import io.execsim.core.fault.LinkName;
import io.execsim.core.node.Node;
import io.execsim.core.rpc.CallLink;
import io.execsim.core.rpc.CallLinkHandle;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Trace;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Where faults reach one node's exec chain below the network, as {@link Network#addLinkListener} lets them reach
 * its links: each FIFO of an exec, as a {@link FifoWay} that containerd's CRI plugin opens and the shim writes
 * through, and each connection of the node's call links (the kubelet's CRI calls to containerd, containerd's task
 * calls to a shim), as a {@link CallLinkHandle} that the calling hop announces when it connects. Listeners hear of
 * each as it opens, on the simulation's thread, before any byte or call crosses it.
 *
 * <p>The hops of a node and a test reach the same hooks through {@link #of(Node)}; they live as long as a hop
 * that announces to them holds them.
 */
public final class NodeHooks {
  // TODO: the hooks are found by node in a process-wide weak map, since a Node has no slot of its own for them; a
  // hop that announces must keep the instance it got, or it may be collected between two look-ups
  private static final Map<Node, WeakReference<NodeHooks>> BY_NODE = new WeakHashMap<>();

  private final Scheduler scheduler;
  private final SimRandom random;
  private final Trace trace;
  private final List<FifoListener> fifoListeners = new ArrayList<>();
  private final Map<String, FifoWay> fifos = new LinkedHashMap<>();
  private final Map<LinkName, List<Consumer<CallLinkHandle>>> callListeners = new EnumMap<>(LinkName.class);
  private final Map<LinkName, List<CallLinkHandle>> calls = new EnumMap<>(LinkName.class);
  private final Map<LinkName, Integer> connections = new EnumMap<>(LinkName.class);

  private NodeHooks(Scheduler scheduler, SimRandom random, Trace trace) {
    this.scheduler = scheduler;
    this.random = random;
    this.trace = trace;
  }

  /** The hooks of {@code node}: the same instance for every caller while a hop holds it. */
  public static NodeHooks of(Node node) {
    synchronized (BY_NODE) {
      WeakReference<NodeHooks> ref = BY_NODE.get(node);
      NodeHooks hooks = ref == null ? null : ref.get();
      if (hooks == null) {
        hooks = new NodeHooks(node.scheduler(), node.random(), node.trace());
        BY_NODE.put(node, new WeakReference<>(hooks));
      }
      return hooks;
    }
  }

  /** Hears of each FIFO of an exec as it opens. */
  @FunctionalInterface
  public interface FifoListener {
    /** The FIFO of {@code stream} of exec {@code execId} in container {@code containerId} opened as {@code way}. */
    void fifo(String containerId, String execId, LinkName stream, ByteWay way);
  }

  // ---- FIFOs

  /** Runs {@code listener} with each exec FIFO opened from now on, until the returned action is run. */
  public synchronized Runnable onExecFifo(FifoListener listener) {
    fifoListeners.add(listener);
    return () -> {
      synchronized (this) {
        fifoListeners.remove(listener);
      }
    };
  }

  /**
   * The FIFO at {@code path}, just made for {@code stream} of an exec, gets its way; the listeners hear of it now,
   * before any writing end goes through it.
   */
  public FifoWay openExecFifo(String containerId, String execId, LinkName stream, String path) {
    FifoWay way = new FifoWay(this, containerId, execId, stream, path, scheduler, random, trace);
    List<FifoListener> told;
    synchronized (this) {
      fifos.put(path, way);
      told = List.copyOf(fifoListeners);
    }
    told.forEach(l -> l.fifo(containerId, execId, stream, way));
    return way;
  }

  /** The way of the exec FIFO at {@code path}, while its FIFO set is there. */
  public synchronized Optional<FifoWay> execFifo(String path) {
    return Optional.ofNullable(fifos.get(path));
  }

  /** The open ways of {@code stream} of the execs in container {@code containerId}, oldest first. */
  public synchronized List<FifoWay> execFifos(String containerId, LinkName stream) {
    return fifos.values().stream()
        .filter(w -> w.containerId().equals(containerId) && w.stream() == stream && w.isOpen())
        .toList();
  }

  synchronized void forget(FifoWay way) {
    fifos.remove(way.path(), way);
  }

  // ---- call links

  /** Runs {@code listener} with each connection of {@code which} made from now on, until the action is run. */
  public synchronized Runnable onCallLink(LinkName which, Consumer<CallLinkHandle> listener) {
    requireCalls(which);
    callListeners.computeIfAbsent(which, k -> new ArrayList<>()).add(listener);
    return () -> {
      synchronized (this) {
        callListeners.getOrDefault(which, new ArrayList<>()).remove(listener);
      }
    };
  }

  /**
   * {@code client} connected {@code link} of {@code which} to {@code target} (a socket, a container's shim): the
   * listeners hear of it now, before its first call. {@code resetError} is what the client's library reports for
   * its calls in flight when the connection is reset.
   */
  public CallLinkHandle connected(LinkName which, String target, CallLink link, Hop client, GoError resetError) {
    requireCalls(which);
    List<Consumer<CallLinkHandle>> told;
    CallLinkHandle handle;
    synchronized (this) {
      int n = connections.merge(which, 1, Integer::sum);
      handle = new CallLinkHandle(which.label() + "#" + n, target, link, client, resetError, random, trace);
      List<CallLinkHandle> open = calls.computeIfAbsent(which, k -> new ArrayList<>());
      open.removeIf(h -> h.link().isClosed());
      open.add(handle);
      told = List.copyOf(callListeners.getOrDefault(which, List.of()));
    }
    CallLinkHandle h = handle;
    told.forEach(l -> l.accept(h));
    return handle;
  }

  /** The connections of {@code which} still open, oldest first. */
  public synchronized List<CallLinkHandle> callLinks(LinkName which) {
    requireCalls(which);
    return calls.getOrDefault(which, List.of()).stream().filter(h -> !h.link().isClosed()).toList();
  }

  private static void requireCalls(LinkName which) {
    if (which.kind() != LinkName.Kind.CALLS) {
      throw new IllegalArgumentException("not a call link: " + which.label());
    }
  }
}
