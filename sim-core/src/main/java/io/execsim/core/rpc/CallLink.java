package io.execsim.core.rpc;

import io.execsim.core.error.GoError;
import io.execsim.core.sched.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One client connection to a {@link CallServer}. A call hands its request to the server's service at once, or when
 * the server's process is continued, and completes with the answer; if the peer goes away first (the server's
 * process ended, or the client hung up) it fails with the connection's lost-peer error, and so does every later
 * call. The server goes on with a call whose client gave up; only the answer is lost.
 *
 * <p>Faults act on the connection itself: a {@link #delay} holds each request and each answer for a while, a
 * {@link #hold} holds them all until it is removed, and {@link #reset} breaks the connection now. Each lasts until
 * its {@link CallFault#remove}; several act in the order they were added. Used on the simulation's thread.
 */
public final class CallLink {
  private final CallServer<?> server;
  private final Scheduler scheduler;
  private final GoError lostPeer;
  private final Set<CompletableFuture<?>> inFlight = new LinkedHashSet<>();
  private final List<Runnable> peerListeners = new ArrayList<>();
  private final List<Runnable> callListeners = new ArrayList<>();
  private final MessagePath requests;
  private final MessagePath answers;
  private boolean closed;

  CallLink(CallServer<?> server, Scheduler scheduler, GoError lostPeer) {
    this.server = server;
    this.scheduler = scheduler;
    this.lostPeer = lostPeer;
    this.requests = new MessagePath(scheduler);
    this.answers = new MessagePath(scheduler);
  }

  /**
   * Makes a call: {@code handler} is the server's handling of it, run on the server's side. The stage completes with
   * the answer, or fails with the handler's error or with the lost-peer error. The {@link #onCall} listeners run
   * first, so that a fault one of them puts on the connection acts on this call.
   */
  public <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> handler) {
    List<Runnable> told;
    synchronized (this) {
      told = List.copyOf(callListeners);
    }
    told.forEach(Runnable::run);
    CompletableFuture<T> out = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        scheduler.execute(() -> out.completeExceptionally(lostPeer));
        return out;
      }
      inFlight.add(out);
    }
    requests.send(() -> server.deliver(() -> {
      CompletionStage<T> answer;
      try {
        answer = handler.get();
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete((v, e) -> server.deliver(() -> answers.send(() -> answered(out, v, e))));
    }));
    return out;
  }

  /** Runs {@code listener} at each call made from now on, before the call goes out. */
  public synchronized void onCall(Runnable listener) {
    callListeners.add(listener);
  }

  /**
   * Delays each request on its way to the server, and each answer on its way back, by what {@code delays} draws
   * for it; a message never overtakes the one before it. Removing the fault hands on what it holds at once.
   */
  public CallFault delay(Supplier<Duration> delays) {
    return both(requests.delay(delays), answers.delay(delays));
  }

  /**
   * Holds every request and every answer until the fault is removed; then they go on in their order. The
   * connection stays up: only the callers' own deadlines end their calls meanwhile.
   */
  public CallFault hold() {
    return both(requests.hold(), answers.hold());
  }

  private static CallFault both(MessagePath.Stage toServer, MessagePath.Stage toClient) {
    return new CallFault() {
      @Override
      public void remove() {
        toServer.remove();
        toClient.remove();
      }

      @Override
      public boolean isActive() {
        return toServer.isActive();
      }
    };
  }

  /**
   * The connection breaks now, as on a reset by the peer: what the faults hold is lost, every call in flight fails
   * with {@code error} (what the client's library reports for a broken connection), the {@link #onPeerClosed}
   * listeners run, as ttrpc's on-close callback does, and later calls fail with the lost-peer error. The server
   * goes on with the calls it had; their answers are lost. Does nothing on a closed connection.
   */
  public void reset(GoError error) {
    List<CompletableFuture<?>> failed;
    List<Runnable> listeners;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      failed = List.copyOf(inFlight);
      inFlight.clear();
      listeners = List.copyOf(peerListeners);
      peerListeners.clear();
      callListeners.clear();
    }
    requests.drop();
    answers.drop();
    server.forget(this);
    failed.forEach(f -> scheduler.execute(() -> f.completeExceptionally(error)));
    listeners.forEach(scheduler::execute);
  }

  private <T> void answered(CompletableFuture<T> out, T value, Throwable error) {
    synchronized (this) {
      if (!inFlight.remove(out)) {
        return;
      }
    }
    if (error == null) {
      out.complete(value);
    } else {
      out.completeExceptionally(error);
    }
  }

  /** Runs {@code listener} when the server's process goes away, as ttrpc's on-close callback; not on {@link #close}. */
  public synchronized void onPeerClosed(Runnable listener) {
    peerListeners.add(listener);
  }

  /** Whether the connection is closed, by either side. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** The client hangs up: its calls in flight fail with the lost-peer error; the server's side is not told. */
  public void close() {
    List<CompletableFuture<?>> failed;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      peerListeners.clear();
      callListeners.clear();
      failed = List.copyOf(inFlight);
      inFlight.clear();
    }
    requests.drop();
    answers.drop();
    server.forget(this);
    failed.forEach(f -> scheduler.execute(() -> f.completeExceptionally(lostPeer)));
  }

  void peerClosed() {
    List<CompletableFuture<?>> failed;
    List<Runnable> listeners;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      failed = List.copyOf(inFlight);
      inFlight.clear();
      listeners = List.copyOf(peerListeners);
      peerListeners.clear();
      callListeners.clear();
    }
    requests.drop();
    answers.drop();
    failed.forEach(f -> scheduler.execute(() -> f.completeExceptionally(lostPeer)));
    listeners.forEach(scheduler::execute);
  }
}
