package io.execsim.core.rpc;

import io.execsim.core.error.GoError;
import io.execsim.core.sched.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The serving end of a process's call socket (a gRPC or ttrpc server): the service that answers, the connections
 * clients made to it, and the state of the process behind it. A stopped process ({@code SIGSTOP}) takes calls but
 * handles none and sends no answer until it is continued; then it handles them in the order they came. A closed one
 * (the process exited or was killed) drops what it held, and every call in flight on its connections, and every
 * later one, fails with the error each connection's client library reports for a lost peer.
 *
 * <p>Used on the simulation's thread; failures are delivered in tasks of their own.
 *
 * @param <S> the type of the service
 */
public final class CallServer<S> {
  private final Scheduler scheduler;
  private final S service;
  private final List<CallLink> links = new ArrayList<>();
  private final ArrayDeque<Runnable> held = new ArrayDeque<>();
  private boolean stopped;
  private boolean closed;

  /** A server of {@code service} whose process runs. */
  public CallServer(Scheduler scheduler, S service) {
    this.scheduler = scheduler;
    this.service = service;
  }

  /** The service. */
  public S service() {
    return service;
  }

  /** The service as {@code type}, if it is one. */
  public <T> Optional<T> service(Class<T> type) {
    return type.isInstance(service) ? Optional.of(type.cast(service)) : Optional.empty();
  }

  /**
   * A new connection from a client whose library reports a lost peer as {@code lostPeer} (ttrpc's
   * {@code ttrpc: closed}, gRPC's {@code Unavailable: transport is closing}). A connection to a closed server is
   * closed from the start.
   */
  public synchronized CallLink connect(GoError lostPeer) {
    CallLink link = new CallLink(this, scheduler, lostPeer);
    if (closed) {
      link.peerClosed();
    } else {
      links.add(link);
    }
    return link;
  }

  /** {@code SIGSTOP}: calls and answers wait until {@link #cont}. */
  public synchronized void stop() {
    stopped = true;
  }

  /** {@code SIGCONT}: handles the calls and sends the answers that waited, in their order. */
  public void cont() {
    synchronized (this) {
      if (!stopped) {
        return;
      }
      stopped = false;
    }
    scheduler.execute(this::drain);
  }

  /** Whether the process is stopped. */
  public synchronized boolean isStopped() {
    return stopped;
  }

  /** Whether the process is gone. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * The process is gone: what it held is dropped, and every connection fails its calls in flight with its lost-peer
   * error and tells its listeners. Closing twice does nothing.
   */
  public void close() {
    List<CallLink> lost;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      held.clear();
      lost = List.copyOf(links);
      links.clear();
    }
    lost.forEach(CallLink::peerClosed);
  }

  /** The number of connections open now. */
  public synchronized int connections() {
    return links.size();
  }

  /** Runs {@code work} now, or once the process is continued; never once it is gone. */
  void deliver(Runnable work) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (stopped || !held.isEmpty()) {
        held.add(work);
        return;
      }
    }
    work.run();
  }

  synchronized void forget(CallLink link) {
    links.remove(link);
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        if (stopped || closed || held.isEmpty()) {
          return;
        }
        next = held.poll();
      }
      next.run();
    }
  }
}
