package io.execsim.core.net;

import io.execsim.core.error.Errno;
import io.execsim.core.fault.LinkName;
import io.execsim.core.io.ByteSink;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Toxic;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FIFO of an exec's stdio as a {@link ByteWay}: the bytes its writers write, on their way into the pipe's buffer,
 * through the toxics put on it. Each writing end of the FIFO goes through the way ({@link #writer}); offsets count
 * the bytes all of them wrote, from zero. Without toxics a write goes into the pipe as it would without the way, so a
 * full buffer holds the writer back; while toxics are on, the way takes each write at once and writes what leaves
 * the last toxic into the pipe, in order.
 *
 * <p>The stream ends when the last writer closes, or when a toxic ends it ({@link
 * io.execsim.core.net.toxic.HalfClose}, {@link io.execsim.core.net.toxic.LimitData}): the way then closes every
 * writing end it holds, so the reader reads end of file after the bytes that got through, even while a writer still
 * holds the FIFO open. After a half-close the writers' later bytes are lost; after a data limit their next write
 * fails with {@code EPIPE}, as on a pipe whose reader is gone. A FIFO has no connection to reset: a {@link Reset}
 * does not go on it.
 *
 * <p>Used on the simulation's thread. {@link #close} (the exec's FIFO set is gone) drops the toxics with what they
 * hold; writers still open write straight into the pipe from then on.
 */
public final class FifoWay implements ByteWay {
  private static final Logger log = LoggerFactory.getLogger(FifoWay.class);

  private final NodeHooks hooks;
  private final String containerId;
  private final String execId;
  private final LinkName stream;
  private final String path;
  private final Scheduler scheduler;
  private final SimRandom random;
  private final Trace trace;
  private final ToxicChain chain;
  private final List<End> ends = new ArrayList<>();
  private @Nullable End writing;
  private long writeStart;
  private @Nullable CompletionStage<Void> direct;
  private long delivered;
  private boolean ended;
  private boolean finished;
  private boolean broken;
  private boolean closed;

  FifoWay(NodeHooks hooks, String containerId, String execId, LinkName stream, String path, Scheduler scheduler,
      SimRandom random, Trace trace) {
    if (stream.kind() != LinkName.Kind.FIFO) {
      throw new IllegalArgumentException("not a FIFO: " + stream.label());
    }
    this.hooks = hooks;
    this.containerId = containerId;
    this.execId = execId;
    this.stream = stream;
    this.path = path;
    this.scheduler = scheduler;
    this.random = random;
    this.trace = trace;
    this.chain = new ToxicChain(this, new Host());
  }

  /** The container of the exec. */
  public String containerId() {
    return containerId;
  }

  /** The exec's id. */
  public String execId() {
    return execId;
  }

  /** Which of the exec's streams the FIFO carries. */
  public LinkName stream() {
    return stream;
  }

  /** The FIFO's path in the node's file system. */
  public String path() {
    return path;
  }

  @Override
  public long bytesSent() {
    return chain.sent();
  }

  /** The bytes that have passed every toxic into the pipe so far. */
  public long bytesDelivered() {
    return delivered;
  }

  /** Whether bytes can still cross: the stream has not ended and the FIFO set is still there. */
  @Override
  public boolean isOpen() {
    return !closed && !finished;
  }

  /** The toxics on this FIFO, in the order they act. */
  public List<ActiveToxic> toxics() {
    return chain.toxics();
  }

  /**
   * Puts {@code toxic} on this FIFO, after those already on it, acting from byte {@code fromOffset} on; an offset
   * already passed starts it at once. Its start is recorded in the trace as a fired fault, under the hop that
   * writes the FIFO.
   *
   * @throws IllegalArgumentException for a {@link Reset}, which needs a connection
   * @throws IllegalStateException when the FIFO is no longer open
   */
  @Override
  public ActiveToxic add(Toxic toxic, long fromOffset) {
    Objects.requireNonNull(toxic, "toxic");
    if (toxic instanceof Reset) {
      throw new IllegalArgumentException("a FIFO has no connection to reset: " + this);
    }
    if (!isOpen()) {
      throw new IllegalStateException("FIFO is closed: " + this);
    }
    ActiveToxic active = chain.add(toxic, fromOffset);
    log.debug("exec {}: {} added on {} from byte {}", execId, toxic, stream.label(), fromOffset);
    return active;
  }

  @Override
  public void whenSent(long offset, Runnable action) {
    chain.whenSent(offset, action, !closed && !ended && !finished);
  }

  /**
   * A writing end of the FIFO through this way: {@code end} is the end as opened in the file system; the one
   * returned is the one to write to and close.
   */
  public ByteSink writer(ByteSink end) {
    End e = new End(end);
    ends.add(e);
    if (finished && !ended) {
      // a toxic ended the stream: a late writer reaches nothing either
      e.closeRaw();
    }
    return e;
  }

  /** The exec's FIFO set is gone: the toxics are dropped with what they hold, and the way forgets its ends. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    chain.drop();
    ends.stream().filter(e -> e.closed).forEach(End::closeRaw);
    hooks.forget(this);
  }

  @Override
  public String toString() {
    return execId + "-" + stream.label();
  }

  private CompletionStage<Void> write(End end, byte[] data) {
    if (broken) {
      return later(Errno.EPIPE.error());
    }
    if (finished) {
      return later(null);
    }
    if (closed || ended) {
      return end.raw.write(data);
    }
    if (data.length == 0) {
      return later(null);
    }
    writing = end;
    writeStart = chain.sent();
    direct = null;
    try {
      chain.send(data.clone());
    } finally {
      writing = null;
    }
    CompletionStage<Void> d = direct;
    direct = null;
    // a write that went into the pipe whole at once keeps the pipe's backpressure; one the toxics took is done
    return d != null ? d : later(null);
  }

  private void closed(End end) {
    if (closed || (ended && !finished)) {
      end.closeRaw();
      return;
    }
    end.releaseAt = chain.sent();
    if (finished) {
      end.closeRaw();
      return;
    }
    if (ends.stream().allMatch(e -> e.closed)) {
      ended = true;
      chain.end();
      return;
    }
    if (delivered >= end.releaseAt) {
      end.closeRaw();
    }
  }

  private CompletionStage<Void> later(@Nullable Throwable error) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    scheduler.execute(() -> {
      if (error == null) {
        f.complete(null);
      } else {
        f.completeExceptionally(error);
      }
    });
    return f;
  }

  /** The end to write arriving bytes through: the writer's own while it is open, else any still open. */
  private @Nullable End deliveryEnd() {
    End w = writing;
    if (w != null && !w.rawClosed) {
      return w;
    }
    return ends.stream().filter(e -> !e.rawClosed).findFirst().orElse(null);
  }

  /** A writing end as its owner sees it. */
  private final class End implements ByteSink {
    final ByteSink raw;
    boolean closed;
    boolean rawClosed;
    long releaseAt;

    End(ByteSink raw) {
      this.raw = raw;
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      if (closed) {
        return CompletableFuture.failedFuture(Errno.EBADF.error());
      }
      return FifoWay.this.write(this, data);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      FifoWay.this.closed(this);
    }

    void closeRaw() {
      if (!rawClosed) {
        rawClosed = true;
        raw.close();
      }
    }
  }

  /** What leaves the toxics goes into the pipe; a FIN closes every writing end. */
  private final class Host implements ToxicChain.Host {
    @Override
    public boolean arrive(Segment s) {
      if (finished) {
        return false;
      }
      if (s.isFin()) {
        finished = true;
        ends.forEach(End::closeRaw);
        return true;
      }
      End to = deliveryEnd();
      if (to == null) {
        return false;
      }
      CompletionStage<Void> written = to.raw.write(s.bytes());
      if (writing != null && s.offset() == writeStart && s.end() == chain.sent()) {
        direct = written;
      } else {
        written.whenComplete((v, e) -> {
          if (e != null) {
            log.debug("exec {}: {} bytes lost on {}: {}", execId, s.length(), stream.label(), e.getMessage());
            broken = true;
          }
        });
      }
      delivered = s.end();
      ends.stream().filter(e -> e.closed && !e.rawClosed && e.releaseAt <= delivered).forEach(End::closeRaw);
      return true;
    }

    @Override
    public void fired(ActiveToxic toxic, long offset) {
      String detail = toxic.toxic() + " on " + FifoWay.this + " at byte " + offset;
      log.debug("exec {}: {}", execId, detail);
      trace.record(stream == LinkName.STDIN ? Hop.CONTAINERD : Hop.SHIM, Phase.FAULT_FIRED, detail);
    }

    @Override
    public void reset() {
      throw new IllegalStateException("a FIFO has no connection to reset: " + FifoWay.this);
    }

    /** The reader is gone, as far as the writers can tell: their next writes fail with EPIPE. */
    @Override
    public void limitReached() {
      broken = true;
    }

    @Override
    public Scheduler scheduler() {
      return scheduler;
    }

    @Override
    public SimRandom random() {
      return random;
    }
  }
}
