package io.execsim.testkit;

import io.execsim.core.fault.ApiserverEffect;
import io.execsim.core.fault.ComponentName;
import io.execsim.core.fault.ContainerEffect;
import io.execsim.core.fault.ContainerdEffect;
import io.execsim.core.fault.Direction;
import io.execsim.core.fault.Effect;
import io.execsim.core.fault.Fault;
import io.execsim.core.fault.FaultPlan;
import io.execsim.core.fault.KubeletEffect;
import io.execsim.core.fault.LinkEffect;
import io.execsim.core.fault.LinkName;
import io.execsim.core.fault.MountEffect;
import io.execsim.core.fault.ProcessEffect;
import io.execsim.core.fault.RuncEffect;
import io.execsim.core.fault.ShimEffect;
import io.execsim.core.fault.StreamingEffect;
import io.execsim.core.fault.Target;
import io.execsim.core.fault.Trigger;
import io.execsim.core.net.ActiveToxic;
import io.execsim.core.net.ByteWay;
import io.execsim.core.net.Link;
import io.execsim.core.net.toxic.Bandwidth;
import io.execsim.core.net.toxic.Corrupt;
import io.execsim.core.net.toxic.HalfClose;
import io.execsim.core.net.toxic.Latency;
import io.execsim.core.net.toxic.LimitData;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Slicer;
import io.execsim.core.net.toxic.Stall;
import io.execsim.core.net.toxic.Toxic;
import io.execsim.core.process.ProcessHandle;
import io.execsim.core.rpc.CallLinkHandle;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.trace.TraceEvent;
import io.execsim.kubelet.Kubelet;
import io.execsim.kubelet.KubeletAuth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link FaultPlan} against a {@link SimCluster} for one exec: arms each fault's trigger when the exec
 * starts, applies its effect to the hop it names when the trigger fires, and ends a lasting effect after its
 * duration, or when the faults are ended ({@link #end}); a component that was down then runs again, a full mount
 * has room again, a toxic leaves its link.
 *
 * <p>Where the plan names the node's parts (the kubelet, containerd, the shim, a mount, the process), the node is
 * the exec's pod's node, and the container its target container. Times count from the exec's start. A trigger
 * fires once: a phase at the first hop that records it, a byte offset on the first connection (or FIFO) of the
 * link to reach it, a connection or call on the Nth since the exec started. The effect follows its trigger in a
 * task of its own at the same virtual instant, so a fault at a phase acts right after the hop recorded it. A fault
 * on the process acts once the process runs, if it is not running yet when its trigger fires.
 *
 * <p>Every firing is recorded in the trace as {@link Phase#FAULT_FIRED} with the fault's printed form, under the
 * hop it acts on, so that the same seed and plan give the same trace.
 */
final class FaultInjector {
  private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
  /** The user the apiserver's kubelet client certificate names, as a forbidden kubelet reports it. */
  private static final String APISERVER_KUBELET_CLIENT = "kube-apiserver-kubelet-client";
  /** A corrupted frame gets its first byte's bits flipped; see {@link Corrupt}. */
  private static final int CORRUPT_MASK = 0xff;

  private final SimCluster cluster;
  private final Scheduler scheduler;
  private final Trace trace;
  private final FaultPlan plan;
  private final Optional<SimExec.Target> site;
  private final Supplier<Optional<ProcessHandle>> process;
  private final List<Armed> armed = new ArrayList<>();
  private final int linkMark;
  /** What the triggers and lasting effects listen to: new links, FIFOs and call connections of this exec. */
  private final List<Consumer<Link>> linkListeners = new ArrayList<>();
  private final List<FifoListener> fifoListeners = new ArrayList<>();
  private final List<CallListener> callListeners = new ArrayList<>();
  /** The FIFOs and call connections of this exec seen so far. */
  private final List<Fifo> fifos = new ArrayList<>();
  private final List<Calls> callLinks = new ArrayList<>();
  private final List<Runnable> unhook = new ArrayList<>();
  private long fireCount;
  private boolean ended;

  private record Fifo(LinkName stream, ByteWay way) {
  }

  private record Calls(LinkName which, CallLinkHandle handle) {
  }

  private record FifoListener(LinkName stream, Consumer<ByteWay> listener) {
  }

  private record CallListener(LinkName which, Consumer<CallLinkHandle> listener) {
  }

  FaultInjector(SimCluster cluster, FaultPlan plan, Optional<SimExec.Target> site,
      Supplier<Optional<ProcessHandle>> process) {
    this.cluster = cluster;
    this.scheduler = cluster.scheduler();
    this.trace = cluster.trace();
    this.plan = plan;
    this.site = site;
    this.process = process;
    this.linkMark = cluster.network().links().size();
  }

  /** The plan. */
  FaultPlan plan() {
    return plan;
  }

  /** Arms every fault's trigger; called as the exec starts. */
  void arm() {
    unhook.add(cluster.onLink(link -> List.copyOf(linkListeners).forEach(l -> l.accept(link))));
    site.ifPresent(t -> {
      unhook.add(t.node().onExecFifo((containerId, execId, stream, way) -> {
        if (containerId.equals(t.containerId())) {
          fifos.add(new Fifo(stream, way));
          List.copyOf(fifoListeners).stream().filter(l -> l.stream() == stream)
              .forEach(l -> l.listener().accept(way));
        }
      }));
      for (LinkName which : List.of(LinkName.KUBELET_CONTAINERD, LinkName.CONTAINERD_SHIM)) {
        // containerd's connection to the shim is made when the container starts, long before the exec
        t.node().callLinks(which).forEach(handle -> callLinks.add(new Calls(which, handle)));
        unhook.add(t.node().onCallLink(which, handle -> {
          callLinks.add(new Calls(which, handle));
          List.copyOf(callListeners).stream().filter(l -> l.which() == which)
              .forEach(l -> l.listener().accept(handle));
        }));
      }
    });
    for (Fault f : plan.faults()) {
      Armed a = new Armed(f);
      armed.add(a);
      a.arm();
    }
  }

  /** The faults whose trigger has fired, in the order they fired. */
  List<Fault> fired() {
    return armed.stream().filter(a -> a.firedAt >= 0).sorted((x, y) -> Long.compare(x.firedAt, y.firedAt))
        .map(a -> a.fault).toList();
  }

  /**
   * Ends the plan: triggers that have not fired never will, and each lasting effect ends now, as after its
   * duration; a component restarting comes back at once.
   */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    armed.forEach(Armed::end);
    unhook.forEach(Runnable::run);
    unhook.clear();
  }

  private Runnable onLink(Consumer<Link> listener) {
    linkListeners.add(listener);
    return () -> linkListeners.remove(listener);
  }

  private Runnable onFifo(LinkName stream, Consumer<ByteWay> listener) {
    FifoListener l = new FifoListener(stream, listener);
    fifoListeners.add(l);
    return () -> fifoListeners.remove(l);
  }

  private Runnable onCalls(LinkName which, Consumer<CallLinkHandle> listener) {
    CallListener l = new CallListener(which, listener);
    callListeners.add(l);
    return () -> callListeners.remove(l);
  }

  /** The links of this exec's chain dialed since it started. */
  private List<Link> linksSinceStart() {
    List<Link> all = cluster.network().links();
    return all.subList(Math.min(linkMark, all.size()), all.size());
  }

  /** Whether {@link #end} has run. */
  boolean isEnded() {
    return ended;
  }

  /** One fault of the plan, from its arming to its end. */
  private final class Armed {
    private final Fault fault;
    /** Undoes the parts of the armed trigger: subscriptions, timers, listeners. */
    private final List<Runnable> disarm = new ArrayList<>();
    /** Undoes the effect, for a lasting one, or finishes it (a pending start after a restart). */
    private final List<Runnable> undo = new ArrayList<>();
    /** Takes back an instant effect armed for the next exec or call that has not met one when the plan ends. */
    private final List<Runnable> pending = new ArrayList<>();
    private long firedAt = -1;
    private boolean done;
    private int connections;
    private int calls;

    Armed(Fault fault) {
      this.fault = fault;
    }

    void arm() {
      Trigger t = fault.trigger();
      if (t instanceof Trigger.AtTime at && at.sinceStart().isZero()) {
        // at the start: before the client sends anything
        fire(null);
      } else if (t instanceof Trigger.AtTime at) {
        Scheduler.Cancellable c = scheduler.schedule(at.sinceStart(), () -> fire(null));
        disarm.add(c::cancel);
      } else if (t instanceof Trigger.AtPhase at) {
        Trace.Subscription s = trace.subscribe(e -> {
          if (e.phase() == at.phase() && firedAt < 0 && !done && !isOwnFiring(e)) {
            scheduler.execute(() -> fire(null));
          }
        });
        disarm.add(s::close);
      } else if (t instanceof Trigger.AtByte at) {
        armByte((Target.Link) fault.target(), at);
      } else if (t instanceof Trigger.AtConnection at) {
        armConnection(at.n());
      } else if (t instanceof Trigger.AtCall at) {
        armCall(at.n());
      }
    }

    /** An event this injector recorded itself: a fault's firing never triggers a fault at that phase. */
    private boolean isOwnFiring(TraceEvent e) {
      return e.phase() == Phase.FAULT_FIRED && e.detail().startsWith("fault ");
    }

    private void armByte(Target.Link target, Trigger.AtByte at) {
      LinkName name = target.link();
      if (name.kind() == LinkName.Kind.FIFO) {
        disarm.add(onFifo(name, way -> way.whenSent(at.offset(), () -> {
          if (firedAt < 0 && !done) {
            fire(new Where.Fifo(way, at.offset()));
          }
        })));
        return;
      }
      disarm.add(onLink(link -> {
        if (!matches(name, link)) {
          return;
        }
        link.direction(netDirection(at.direction())).whenSent(at.offset(), () -> {
          if (firedAt < 0 && !done) {
            fire(new Where.OnLink(link, at.offset(), at.direction()));
          }
        });
      }));
    }

    private void armConnection(int n) {
      Target target = fault.target();
      if (target instanceof Target.Link l && l.link().kind() == LinkName.Kind.CALLS) {
        disarm.add(onCalls(l.link(), handle -> {
          if (++connections == n && firedAt < 0 && !done) {
            fire(new Where.OnCalls(handle));
          }
        }));
      } else if (target instanceof Target.Link l) {
        disarm.add(onLink(link -> {
          if (matches(l.link(), link) && ++connections == n && firedAt < 0 && !done) {
            fire(new Where.OnLink(link, 0, Direction.BOTH));
          }
        }));
      } else if (target instanceof Target.Component c) {
        switch (c.name()) {
          case CONTAINERD, SHIM -> disarm.add(onCalls(callLinkInto(c.name()), handle -> {
            if (++connections == n && firedAt < 0 && !done) {
              fire(null);
            }
          }));
          default -> disarm.add(onLink(link -> {
            if (acceptedBy(c.name(), link) && ++connections == n && firedAt < 0 && !done) {
              scheduler.execute(() -> fire(null));
            }
          }));
        }
      }
    }

    private void armCall(int n) {
      Target target = fault.target();
      if (target instanceof Target.Component c && c.name() == ComponentName.RUNC) {
        // an effect on runc acts on an invocation: armed once the one before the Nth has begun
        if (n == 1) {
          fire(null);
          return;
        }
        Trace.Subscription s = trace.subscribe(e -> {
          if (e.hop() == Hop.RUNC && e.phase() == Phase.RUNC_STARTED && ++calls == n - 1 && firedAt < 0
              && !done) {
            fire(null);
          }
        });
        disarm.add(s::close);
        return;
      }
      LinkName which = target instanceof Target.Link l ? l.link() : callLinkInto(((Target.Component) target).name());
      // TODO: a call listener stays on its connection after the fault is done with it (it does nothing then);
      // CallLinkHandle has no way to take one off
      Consumer<CallLinkHandle> count = handle -> handle.onCall(() -> {
        if (++calls == n && firedAt < 0 && !done) {
          fire(target instanceof Target.Link ? new Where.OnCalls(handle) : null);
        }
      });
      callLinks.stream().filter(c -> c.which() == which).forEach(c -> count.accept(c.handle()));
      disarm.add(onCalls(which, count));
    }

    /** The trigger fired: the effect acts, on {@code where} when the trigger found its link. */
    void fire(@Nullable Where where) {
      if (firedAt >= 0 || done) {
        return;
      }
      firedAt = fireCount++;
      disarm.forEach(Runnable::run);
      disarm.clear();
      trace.record(hopOf(fault.target()), Phase.FAULT_FIRED, "fault " + fault.print());
      log.info("fault fired: {}", fault);
      try {
        apply(where);
      } catch (RuntimeException e) {
        // a plan is checked when built; what is left is a part the fault found gone (a shim already dead)
        log.info("fault {} found nothing to act on: {}", fault, e.getMessage());
        trace.record(hopOf(fault.target()), Phase.FAULT_FIRED, "fault had nothing to act on: " + e.getMessage());
      }
      if (!fault.effect().isInstant() && !fault.lastsForTheRun()) {
        scheduler.schedule(fault.duration(), this::end);
      }
    }

    /** Ends the effect and disarms the trigger; once only. */
    void end() {
      if (done) {
        return;
      }
      done = true;
      disarm.forEach(Runnable::run);
      disarm.clear();
      pending.forEach(Runnable::run);
      pending.clear();
      List<Runnable> all = List.copyOf(undo);
      undo.clear();
      if (!all.isEmpty() && !fault.effect().isInstant()) {
        trace.record(hopOf(fault.target()), Phase.FAULT_FIRED, "fault ended: " + fault.print());
      }
      for (Runnable r : all) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("ending fault {} failed", fault, e);
        }
      }
    }

    private void apply(@Nullable Where where) {
      Target target = fault.target();
      Effect effect = fault.effect();
      if (target instanceof Target.Link l) {
        applyToLink(l, (LinkEffect) effect, where);
      } else if (target instanceof Target.Component c) {
        applyToComponent(c.name(), effect);
      } else if (target instanceof Target.Mount m) {
        applyToMount(m.path(), (MountEffect) effect);
      } else if (target instanceof Target.Process) {
        applyToProcess((ProcessEffect) effect);
      } else {
        applyToContainer((ContainerEffect) effect);
      }
    }

    // ---- links

    private void applyToLink(Target.Link target, LinkEffect effect, @Nullable Where where) {
      LinkName name = target.link();
      if (name.kind() == LinkName.Kind.CALLS) {
        if (where instanceof Where.OnCalls on) {
          applyToCalls(on.handle(), effect);
        } else {
          callLinks.stream().filter(c -> c.which() == name).forEach(c -> applyToCalls(c.handle(), effect));
          if (!effect.isInstant()) {
            undo.add(onCalls(name, h -> applyToCalls(h, effect)));
          }
        }
        return;
      }
      if (name.kind() == LinkName.Kind.FIFO) {
        if (where instanceof Where.Fifo f) {
          addToxic(f.way(), effect, f.offset());
        } else {
          fifos.stream().filter(f -> f.stream() == name).forEach(f -> addToxic(f.way(), effect, f.way().bytesSent()));
          if (!effect.isInstant()) {
            undo.add(onFifo(name, w -> addToxic(w, effect, 0)));
          }
        }
        return;
      }
      if (where instanceof Where.OnLink on) {
        applyToLink(on.link(), target.direction(), effect, on);
        return;
      }
      for (Link link : linksSinceStart()) {
        if (matches(name, link) && (link.client().isOpen() || link.server().isOpen())) {
          applyToLink(link, target.direction(), effect, null);
        }
      }
      if (!effect.isInstant()) {
        undo.add(onLink(link -> {
          if (matches(name, link)) {
            applyToLink(link, target.direction(), effect, new Where.OnLink(link, 0, Direction.BOTH));
          }
        }));
      }
    }

    /**
     * Puts the effect's toxic on the ways of {@code link} that {@code direction} names: from the trigger's offset
     * on the way it counted, from the current position on the others.
     */
    private void applyToLink(Link link, Direction direction, LinkEffect effect, Where.@Nullable OnLink on) {
      if (effect instanceof LinkEffect.Reset) {
        // a reset ends the connection both ways; it acts on the way the trigger counted, or toward the server
        Direction way = on != null && on.counted() != Direction.BOTH ? on.counted() : Direction.TOWARD_PROCESS;
        ByteWay w = link.direction(netDirection(way));
        addToxic(w, effect, on != null && on.counted() == way ? on.offset() : w.bytesSent());
        return;
      }
      for (Direction way : List.of(Direction.TOWARD_PROCESS, Direction.TOWARD_CLIENT)) {
        if (!direction.includes(way)) {
          continue;
        }
        ByteWay w = link.direction(netDirection(way));
        long from = on != null && on.counted() == way ? on.offset() : w.bytesSent();
        if (w.isOpen()) {
          addToxic(w, effect, from);
        }
      }
    }

    private void addToxic(ByteWay way, LinkEffect effect, long from) {
      if (!way.isOpen()) {
        return;
      }
      ActiveToxic t = way.add(toxic(effect), from);
      if (!effect.isInstant()) {
        undo.add(t::remove);
      }
    }

    private void applyToCalls(CallLinkHandle handle, LinkEffect effect) {
      if (effect instanceof LinkEffect.Latency l) {
        undo.add(handle.addLatency(l.delay(), l.jitter())::remove);
      } else if (effect instanceof LinkEffect.Stall) {
        undo.add(handle.stall()::remove);
      } else if (effect instanceof LinkEffect.Reset) {
        handle.reset();
      } else {
        throw new IllegalStateException(effect.print() + " does not act on calls");
      }
    }

    // ---- components

    private void applyToComponent(ComponentName name, Effect effect) {
      switch (name) {
        case APISERVER -> applyToApiserver((ApiserverEffect) effect);
        case KUBELET -> applyToKubelet(kubelet(), (KubeletEffect) effect);
        case STREAMING -> applyToStreaming((StreamingEffect) effect);
        case CONTAINERD -> applyToContainerd((ContainerdEffect) effect);
        case SHIM -> applyToShim((ShimEffect) effect);
        case RUNC -> applyToRunc((RuncEffect) effect);
        default -> throw new IllegalStateException("no such component: " + name);
      }
    }

    private void applyToApiserver(ApiserverEffect effect) {
      var apiserver = cluster.apiServer();
      if (effect instanceof ApiserverEffect.Down) {
        undo.add(() -> {
          if (!apiserver.isListening()) {
            apiserver.start();
          }
        });
        apiserver.kill();
      } else if (effect instanceof ApiserverEffect.Restart r) {
        restart(apiserver::kill, apiserver::start, apiserver::restart, r.downtime());
      }
    }

    private void applyToKubelet(Kubelet kubelet, KubeletEffect effect) {
      if (effect instanceof KubeletEffect.Down) {
        undo.add(() -> {
          if (!kubelet.isListening()) {
            kubelet.start();
          }
        });
        kubelet.kill();
      } else if (effect instanceof KubeletEffect.Restart r) {
        restart(kubelet::kill, kubelet::start, kubelet::restart, r.downtime());
      } else if (effect instanceof KubeletEffect.Unauthorized) {
        switchAuth(kubelet, new KubeletAuth.Unauthenticated());
      } else if (effect instanceof KubeletEffect.Forbidden) {
        switchAuth(kubelet, new KubeletAuth.Forbidden(APISERVER_KUBELET_CLIENT));
      } else if (effect instanceof KubeletEffect.Slow s) {
        Duration before = kubelet.delay();
        kubelet.setDelay(s.delay());
        undo.add(() -> kubelet.setDelay(before));
      }
    }

    private void switchAuth(Kubelet kubelet, KubeletAuth auth) {
      KubeletAuth before = kubelet.auth();
      kubelet.setAuth(auth);
      undo.add(() -> kubelet.setAuth(before));
    }

    /**
     * A restart: down now and up again after {@code downtime}, or both at once; ending the plan early brings the
     * component back at once.
     */
    private void restart(Runnable kill, Runnable start, Runnable both, Duration downtime) {
      if (downtime.isZero()) {
        both.run();
        return;
      }
      Runnable up = once(start);
      undo.add(up);
      scheduler.schedule(downtime, up);
      kill.run();
    }

    private void applyToStreaming(StreamingEffect effect) {
      SimNode node = node();
      if (effect instanceof StreamingEffect.TokenExpired) {
        node.containerd().expireTokens();
      } else if (effect instanceof StreamingEffect.TokenReused) {
        node.containerd().consumeTokens();
      } else if (effect instanceof StreamingEffect.TooManyInFlight) {
        node.containerd().fillTokenCache();
        undo.add(node.containerd()::drainTokenCache);
      } else if (effect instanceof StreamingEffect.StreamsNeverCreated) {
        var streaming = cluster.streaming(nodeName());
        streaming.withholdStreamsOfNextExec();
        pending.add(streaming::stopWithholdingStreams);
      }
    }

    private void applyToContainerd(ContainerdEffect effect) {
      SimNode node = node();
      if (effect instanceof ContainerdEffect.Down) {
        undo.add(() -> startContainerd(node));
        node.containerd().kill();
      } else if (effect instanceof ContainerdEffect.Restart r) {
        // systemctl restart: SIGTERM, containerd's own shutdown, then the start after the downtime; a plan ended
        // early starts it as soon as it has exited
        Runnable up = once(() -> startContainerd(node));
        CompletionStage<Void> exited = node.containerd().stop();
        exited.thenRun(() -> scheduler.schedule(r.downtime(), up));
        undo.add(() -> exited.thenRun(up));
      } else if (effect instanceof ContainerdEffect.DeadlineExceeded) {
        node.containerd().stallNextCriCall();
        pending.add(node.containerd()::stopStallingCriCalls);
      }
    }

    private void startContainerd(SimNode node) {
      if (!node.containerd().isRunning()) {
        node.containerd().start();
      }
    }

    private void applyToShim(ShimEffect effect) {
      SimNode node = node();
      String id = containerId();
      if (effect instanceof ShimEffect.Killed) {
        node.killShim(id);
      } else if (effect instanceof ShimEffect.Hung) {
        node.stopShim(id);
        undo.add(() -> node.shimIfAlive(id).ifPresent(s -> s.cont()));
      }
    }

    private void applyToRunc(RuncEffect effect) {
      SimNode node = node();
      if (effect instanceof RuncEffect.FailsToStart f) {
        node.failNextRuncExec(f.file(), f.errno());
        pending.add(node::stopFailingRuncExecs);
      } else if (effect instanceof RuncEffect.Slow s) {
        node.setRuncDelay(s.delay());
        undo.add(() -> node.setRuncDelay(Duration.ZERO));
      }
    }

    // ---- the node, the process, the container

    private void applyToMount(String path, MountEffect effect) {
      SimNode node = node();
      if (effect instanceof MountEffect.FullBytes) {
        node.fill(path, SimNode.Resource.BYTES);
        undo.add(() -> node.free(path));
      } else if (effect instanceof MountEffect.FullInodes) {
        node.fill(path, SimNode.Resource.INODES);
        undo.add(() -> node.free(path));
      } else if (effect instanceof MountEffect.ReadOnly) {
        node.setReadOnly(path, true);
        undo.add(() -> node.setReadOnly(path, false));
      }
    }

    private void applyToProcess(ProcessEffect effect) {
      Optional<ProcessHandle> p = process.get();
      if (p.isPresent()) {
        actOn(p.get(), effect);
        return;
      }
      // not running yet: the fault acts when it starts
      Trace.Subscription[] s = new Trace.Subscription[1];
      s[0] = trace.subscribe(e -> {
        if (e.hop() == Hop.PROCESS && e.phase() == Phase.PROCESS_RUNNING) {
          scheduler.execute(() -> process.get().ifPresent(started -> {
            s[0].close();
            if (!done) {
              actOn(started, effect);
            }
          }));
        }
      });
      undo.add(s[0]::close);
    }

    private void actOn(ProcessHandle p, ProcessEffect effect) {
      if (effect instanceof ProcessEffect.Killed k) {
        p.signal(k.signal());
      } else if (effect instanceof ProcessEffect.NeverExits) {
        p.neverExit();
      } else if (effect instanceof ProcessEffect.ExitsEarly e) {
        p.exitEarly(e.exitCode());
      }
    }

    private void applyToContainer(ContainerEffect effect) {
      SimNode node = node();
      String id = containerId();
      if (effect instanceof ContainerEffect.Stopped) {
        node.stopContainerLater(id);
      } else if (effect instanceof ContainerEffect.Paused) {
        node.pauseContainerLater(id);
        undo.add(() -> node.resumeContainerLater(id));
      }
    }
  }

  /** {@code action} as an action that acts the first time it is run only. */
  private static Runnable once(Runnable action) {
    boolean[] ran = new boolean[1];
    return () -> {
      if (!ran[0]) {
        ran[0] = true;
        action.run();
      }
    };
  }

  /** Where a trigger found the fault's link. */
  private sealed interface Where {
    /** A network link, its trigger counted on way {@code counted} up to {@code offset} (or BOTH, from 0). */
    record OnLink(Link link, long offset, Direction counted) implements Where {
    }

    /** A FIFO, its trigger counted up to {@code offset}. */
    record Fifo(ByteWay way, long offset) implements Where {
    }

    /** A connection of calls. */
    record OnCalls(CallLinkHandle handle) implements Where {
    }
  }

  private static Toxic toxic(LinkEffect effect) {
    if (effect instanceof LinkEffect.Latency l) {
      return new Latency(l.delay(), l.jitter());
    } else if (effect instanceof LinkEffect.Bandwidth b) {
      return new Bandwidth(b.bytesPerSecond());
    } else if (effect instanceof LinkEffect.Stall) {
      return new Stall();
    } else if (effect instanceof LinkEffect.Reset) {
      return new Reset();
    } else if (effect instanceof LinkEffect.HalfClose) {
      return new HalfClose();
    } else if (effect instanceof LinkEffect.Slicer s) {
      return new Slicer(Math.toIntExact(s.averageSize()), Math.toIntExact(s.sizeVariation()), s.delay());
    } else if (effect instanceof LinkEffect.LimitData l) {
      return new LimitData(l.bytes());
    }
    return new Corrupt(CORRUPT_MASK);
  }

  /** The way of a network link that bytes traveling {@code way} take: every link is dialed toward the process. */
  private static io.execsim.core.net.Direction netDirection(Direction way) {
    return way == Direction.TOWARD_CLIENT ? io.execsim.core.net.Direction.TO_CLIENT
        : io.execsim.core.net.Direction.TO_SERVER;
  }

  /** Whether {@code link} is a connection of the byte stream {@code name} of this exec's chain. */
  private boolean matches(LinkName name, Link link) {
    return switch (name) {
      case CLIENT_APISERVER -> acceptedBy(ComponentName.APISERVER, link);
      case APISERVER_KUBELET -> acceptedBy(ComponentName.KUBELET, link);
      case KUBELET_STREAMING -> acceptedBy(ComponentName.STREAMING, link);
      default -> false;
    };
  }

  /** Whether {@code component}, of the exec's node where it has one, accepted {@code link}. */
  private boolean acceptedBy(ComponentName component, Link link) {
    return switch (component) {
      case APISERVER -> link.address().equals(cluster.apiServer().address());
      case KUBELET -> site.isPresent() ? link.address().equals(kubelet().address())
          : cluster.nodeNames().stream().anyMatch(n -> link.address().equals(cluster.kubelet(n).address()));
      case STREAMING -> site.isPresent() ? link.address().equals(cluster.streaming(nodeName()).address())
          : cluster.nodeNames().stream().anyMatch(n -> link.address().equals(cluster.streaming(n).address()));
      default -> false;
    };
  }

  /** The call link a component serves: containerd the kubelet's CRI calls, the shim containerd's task calls. */
  private static LinkName callLinkInto(ComponentName component) {
    return component == ComponentName.SHIM ? LinkName.CONTAINERD_SHIM : LinkName.KUBELET_CONTAINERD;
  }

  private Hop hopOf(Target target) {
    if (target instanceof Target.Component c) {
      return c.name().hop();
    } else if (target instanceof Target.Link l) {
      return switch (l.link()) {
        case CLIENT_APISERVER -> Hop.KUBECTL;
        case APISERVER_KUBELET -> Hop.APISERVER;
        case KUBELET_STREAMING, KUBELET_CONTAINERD -> Hop.KUBELET;
        case CONTAINERD_SHIM -> Hop.CONTAINERD;
        default -> Hop.SHIM;
      };
    } else if (target instanceof Target.Process) {
      return Hop.PROCESS;
    }
    return Hop.NODE;
  }

  private SimExec.Target target() {
    return site.orElseThrow(() -> new IllegalStateException("the exec has no running container on a node"));
  }

  private SimNode node() {
    return target().node();
  }

  private String nodeName() {
    return target().node().name();
  }

  private String containerId() {
    return target().containerId();
  }

  private Kubelet kubelet() {
    return cluster.kubelet(nodeName());
  }
}
