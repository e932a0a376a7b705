package io.execsim.core.rpc;

import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection of one of a node's call links, as a fault injector acts on it: latency with jitter drawn from the
 * node's seeded source, a stall, a reset with the error the client's library reports for it, and a listener of its
 * calls. Each fault is recorded in the trace as a fired fault, under the hop that made the connection.
 *
 * <p>Used on the simulation's thread.
 */
public final class CallLinkHandle {
  private static final Logger log = LoggerFactory.getLogger(CallLinkHandle.class);

  private final String name;
  private final String target;
  private final CallLink link;
  private final Hop client;
  private final GoError resetError;
  private final SimRandom random;
  private final Trace trace;

  /**
   * The handle of {@code link}, named {@code name} in the trace (e.g. {@code kubelet-containerd#1}), made by {@code
   * client} to {@code target} (a socket, a container's shim); a reset fails its calls in flight with {@code
   * resetError}.
   */
  public CallLinkHandle(String name, String target, CallLink link, Hop client, GoError resetError, SimRandom random,
      Trace trace) {
    this.name = Objects.requireNonNull(name, "name");
    this.target = Objects.requireNonNull(target, "target");
    this.link = Objects.requireNonNull(link, "link");
    this.client = Objects.requireNonNull(client, "client");
    this.resetError = Objects.requireNonNull(resetError, "resetError");
    this.random = Objects.requireNonNull(random, "random");
    this.trace = Objects.requireNonNull(trace, "trace");
  }

  /** The connection's name in the trace. */
  public String name() {
    return name;
  }

  /** What the connection reaches: the runtime's socket, or the container whose shim it calls. */
  public String target() {
    return target;
  }

  /** The connection. */
  public CallLink link() {
    return link;
  }

  /**
   * Each request and each answer arrives {@code delay} late, give or take up to {@code jitter} drawn uniformly for
   * each; order is kept. The caller's own deadline still counts from its call.
   *
   * @throws IllegalArgumentException when a duration is negative or the jitter exceeds the delay
   */
  public CallFault addLatency(Duration delay, Duration jitter) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(jitter, "jitter");
    if (delay.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("latency and jitter must not be negative: " + delay + ", " + jitter);
    }
    if (jitter.compareTo(delay) > 0) {
      throw new IllegalArgumentException("jitter must not exceed latency: " + jitter + " > " + delay);
    }
    long spread = jitter.toNanos();
    CallFault f = link.delay(() -> spread == 0 ? delay
        : delay.plusNanos(Math.round((2 * random.nextDouble() - 1) * spread)));
    fired("latency " + GoText.duration(delay) + (spread == 0 ? "" : " jitter " + GoText.duration(jitter)));
    return f;
  }

  /** Requests and answers wait until the returned fault is removed, then go on in their order. */
  public CallFault stall() {
    CallFault f = link.hold();
    fired("stall");
    return f;
  }

  /**
   * The connection breaks now: its calls in flight fail as the client's library fails them on a connection reset
   * by the peer, and the client goes on as it does after one (gRPC dials again at its next call; ttrpc's client is
   * done, and containerd takes its shim for dead).
   */
  public void reset() {
    fired("reset");
    link.reset(resetError);
  }

  /** Runs {@code listener} at each call made on the connection from now on, before the call goes out. */
  public void onCall(Runnable listener) {
    link.onCall(listener);
  }

  @Override
  public String toString() {
    return name;
  }

  private void fired(String what) {
    String detail = what + " on " + name + " to " + target;
    log.debug("{}", detail);
    trace.record(client, Phase.FAULT_FIRED, detail);
  }
}
