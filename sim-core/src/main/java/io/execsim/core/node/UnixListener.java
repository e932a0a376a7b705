package io.execsim.core.node;

import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.io.Pty;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.Scheduler;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening unix socket made by {@link UnixSockets#listen} or {@link UnixSockets#serve}: the masters sent to it
 * wait in its backlog until received; a served one hands its call server to whoever dials it. Closing it stops the
 * listening, removes its socket file (as Go's listener unlinks the path it bound), closes the masters nobody
 * received, and fails a waiting receive with Go's {@code use of closed network connection}. {@link #abandon} does
 * the same but leaves the file, as the death of the listening process does.
 */
public final class UnixListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UnixListener.class);

  private final UnixSockets owner;
  private final NodeFileSystem fs;
  private final Scheduler scheduler;
  private final String path;
  private final ArrayDeque<Pty> backlog = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<Pty>> waiting = new ArrayDeque<>();
  private final @Nullable CallServer<?> server;
  private boolean closed;

  UnixListener(UnixSockets owner, NodeFileSystem fs, Scheduler scheduler, String path,
      @Nullable CallServer<?> server) {
    this.owner = owner;
    this.fs = fs;
    this.scheduler = scheduler;
    this.path = path;
    this.server = server;
  }

  /** The call server that takes the connections, for a socket made by {@link UnixSockets#serve}. */
  public Optional<CallServer<?>> server() {
    return Optional.ofNullable(server);
  }

  /** The path it is bound at. */
  public String path() {
    return path;
  }

  /**
   * Accepts the next connection and receives the master it carries, as go-runc's {@code ReceiveMaster}; the stage
   * completes, in a task of its own, once a master has been sent.
   */
  public synchronized CompletionStage<Pty> receiveMaster() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    CompletableFuture<Pty> f = new CompletableFuture<>();
    Pty ready = backlog.poll();
    if (ready != null) {
      scheduler.execute(() -> f.complete(ready));
    } else {
      waiting.add(f);
    }
    return f;
  }

  synchronized void deliver(Pty master) {
    CompletableFuture<Pty> f = waiting.poll();
    if (f == null) {
      backlog.add(master);
    } else {
      scheduler.execute(() -> f.complete(master));
    }
  }

  /** Stops listening and removes the socket file; closing twice does nothing. */
  @Override
  public void close() {
    stop(true);
  }

  /**
   * Stops listening because the listening process ended: the socket file stays, so a later connect is refused, as
   * after a killed daemon. Does nothing on a closed listener.
   */
  public void abandon() {
    stop(false);
  }

  private void stop(boolean unlink) {
    List<Pty> dropped;
    List<CompletableFuture<Pty>> failed;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      dropped = List.copyOf(backlog);
      failed = List.copyOf(waiting);
      backlog.clear();
      waiting.clear();
    }
    owner.closed(this);
    if (unlink) {
      try {
        fs.remove(path);
      } catch (PathError e) {
        log.debug("socket file {} not removed: {}", path, e.text());
      }
    }
    dropped.forEach(Pty::closeMaster);
    failed.forEach(f -> scheduler.execute(() -> f.completeExceptionally(closedError())));
  }

  private GoError closedError() {
    return GoError.wrap("accept unix " + path, GoError.of("use of closed network connection"));
  }
}
