package io.execsim.core.rpc;

import io.execsim.core.error.GoError;
import io.execsim.core.sched.Scheduler;
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
 */
public final class CallLink {
  private final CallServer<?> server;
  private final Scheduler scheduler;
  private final GoError lostPeer;
  private final Set<CompletableFuture<?>> inFlight = new LinkedHashSet<>();
  private final List<Runnable> peerListeners = new ArrayList<>();
  private boolean closed;

  CallLink(CallServer<?> server, Scheduler scheduler, GoError lostPeer) {
    this.server = server;
    this.scheduler = scheduler;
    this.lostPeer = lostPeer;
  }

  /**
   * Makes a call: {@code handler} is the server's handling of it, run on the server's side. The stage completes with
   * the answer, or fails with the handler's error or with the lost-peer error.
   */
  public <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> handler) {
    CompletableFuture<T> out = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        scheduler.execute(() -> out.completeExceptionally(lostPeer));
        return out;
      }
      inFlight.add(out);
    }
    server.deliver(() -> {
      CompletionStage<T> answer;
      try {
        answer = handler.get();
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete((v, e) -> server.deliver(() -> answered(out, v, e)));
    });
    return out;
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
      failed = List.copyOf(inFlight);
      inFlight.clear();
    }
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
    }
    failed.forEach(f -> scheduler.execute(() -> f.completeExceptionally(lostPeer)));
    listeners.forEach(scheduler::execute);
  }
}
