package io.execsim.core.io;

import io.execsim.core.error.Errno;
import io.execsim.core.sched.Scheduler;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A pipe with Linux semantics, the buffer behind anonymous pipes and FIFOs: a bounded buffer (64 KiB unless told
 * otherwise) that holds writers back when full; readers wait for data and see end of stream once every writer that
 * opened has closed; writers fail with {@code EPIPE} once every reader that opened has closed. An end waits for
 * the other end to open at least once, as opening a FIFO does.
 *
 * <p>Every stage completes in a task of its own on the scheduler, never inside the call that made it, so chains of
 * reads and writes do not grow the stack.
 */
public final class Pipe {
  /** The capacity of a Linux pipe buffer. */
  public static final int DEFAULT_CAPACITY = 64 * 1024;

  private final Scheduler scheduler;
  private final int capacity;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
  private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
  private int headOffset;
  private int buffered;
  private int readers;
  private int writers;
  private boolean readerOpened;
  private boolean writerOpened;
  private long transferred;

  /** An unopened pipe with a buffer of {@code capacity} bytes. */
  public Pipe(Scheduler scheduler, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.scheduler = scheduler;
    this.capacity = capacity;
  }

  /** An unopened pipe with the default capacity. */
  public Pipe(Scheduler scheduler) {
    this(scheduler, DEFAULT_CAPACITY);
  }

  /** Opens a reading end. */
  public synchronized ByteSource openReader() {
    readers++;
    readerOpened = true;
    pump();
    return new Reader();
  }

  /** Opens a writing end. */
  public synchronized ByteSink openWriter() {
    writers++;
    writerOpened = true;
    pump();
    return new Writer();
  }

  /** The number of reading ends open now. */
  public synchronized int readers() {
    return readers;
  }

  /** The number of writing ends open now. */
  public synchronized int writers() {
    return writers;
  }

  /** The bytes in the buffer now. */
  public synchronized int buffered() {
    return buffered;
  }

  /** The bytes that have passed through so far. */
  public synchronized long transferred() {
    return transferred;
  }

  private synchronized CompletionStage<Optional<byte[]>> read(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    PendingRead r = new PendingRead(maxBytes);
    reads.add(r);
    pump();
    return r.future;
  }

  private synchronized CompletionStage<Void> write(byte[] data) {
    PendingWrite w = new PendingWrite(data);
    writes.add(w);
    pump();
    return w.future;
  }

  private synchronized void closeReader() {
    readers--;
    pump();
  }

  private synchronized void closeWriter() {
    writers--;
    pump();
  }

  private void pump() {
    boolean moved = true;
    while (moved) {
      moved = false;
      if (readerOpened && readers == 0) {
        chunks.clear();
        buffered = 0;
        headOffset = 0;
        while (!writes.isEmpty()) {
          completeLater(writes.poll().future, f -> f.completeExceptionally(Errno.EPIPE.error()));
        }
      }
      while (!writes.isEmpty() && buffered < capacity && readers > 0) {
        PendingWrite w = writes.peek();
        int n = Math.min(capacity - buffered, w.data.length - w.offset);
        chunks.add(Arrays.copyOfRange(w.data, w.offset, w.offset + n));
        buffered += n;
        w.offset += n;
        moved = true;
        if (w.offset == w.data.length) {
          writes.poll();
          completeLater(w.future, f -> f.complete(null));
        }
      }
      while (!reads.isEmpty() && buffered > 0) {
        PendingRead r = reads.poll();
        byte[] out = take(r.maxBytes);
        completeLater(r.future, f -> f.complete(Optional.of(out)));
        moved = true;
      }
      if (!reads.isEmpty() && buffered == 0 && writes.isEmpty() && writerOpened && writers == 0) {
        while (!reads.isEmpty()) {
          completeLater(reads.poll().future, f -> f.complete(Optional.empty()));
        }
      }
    }
  }

  private byte[] take(int max) {
    int n = Math.min(max, buffered);
    byte[] out = new byte[n];
    int filled = 0;
    while (filled < n) {
      byte[] head = chunks.peek();
      int k = Math.min(n - filled, head.length - headOffset);
      System.arraycopy(head, headOffset, out, filled, k);
      filled += k;
      headOffset += k;
      if (headOffset == head.length) {
        chunks.poll();
        headOffset = 0;
      }
    }
    buffered -= n;
    transferred += n;
    return out;
  }

  private <T> void completeLater(CompletableFuture<T> f, Consumer<CompletableFuture<T>> how) {
    scheduler.execute(() -> how.accept(f));
  }

  private static final class PendingRead {
    final int maxBytes;
    final CompletableFuture<Optional<byte[]>> future = new CompletableFuture<>();

    PendingRead(int maxBytes) {
      this.maxBytes = maxBytes;
    }
  }

  private static final class PendingWrite {
    final byte[] data;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    int offset;

    PendingWrite(byte[] data) {
      this.data = data;
    }
  }

  private final class Reader implements ByteSource {
    private boolean closed;

    @Override
    public CompletionStage<Optional<byte[]>> read(int maxBytes) {
      if (closed) {
        return CompletableFuture.failedFuture(Errno.EBADF.error());
      }
      return Pipe.this.read(maxBytes);
    }

    @Override
    public void close() {
      synchronized (Pipe.this) {
        if (!closed) {
          closed = true;
          closeReader();
        }
      }
    }
  }

  private final class Writer implements ByteSink {
    private boolean closed;

    @Override
    public CompletionStage<Void> write(byte[] data) {
      if (closed) {
        return CompletableFuture.failedFuture(Errno.EBADF.error());
      }
      return Pipe.this.write(data);
    }

    @Override
    public void close() {
      synchronized (Pipe.this) {
        if (!closed) {
          closed = true;
          closeWriter();
        }
      }
    }
  }
}
