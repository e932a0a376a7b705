package io.execsim.core.io;

import io.execsim.core.error.GoError;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Copying between byte streams, and byte streams over memory. */
public final class Streams {

  private Streams() {
  }

  /**
   * Copies {@code from} into {@code to} in reads of at most {@code bufferSize} bytes until end of stream, as Go's
   * {@code io.CopyBuffer} does. Closes neither end. The stage completes with the number of bytes copied.
   */
  public static CompletionStage<Long> copy(ByteSource from, ByteSink to, int bufferSize) {
    Copy c = new Copy(from, to, bufferSize);
    c.run();
    return c.done;
  }

  /** One copy loop; steps that complete at once run in the loop, not in nested callbacks. */
  private static final class Copy {
    final ByteSource from;
    final ByteSink to;
    final int size;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    long total;

    Copy(ByteSource from, ByteSink to, int size) {
      this.from = from;
      this.to = to;
      this.size = size;
    }

    void run() {
      while (!done.isDone()) {
        CompletableFuture<Optional<byte[]>> r = from.read(size).toCompletableFuture();
        if (!r.isDone()) {
          r.whenComplete((chunk, e) -> {
            if (afterRead(chunk, e)) {
              run();
            }
          });
          return;
        }
        Throwable e = error(r);
        if (!afterRead(e == null ? r.join() : null, e)) {
          return;
        }
      }
    }

    /** Handles a read; returns whether the loop may go on at once. */
    private boolean afterRead(Optional<byte[]> chunk, Throwable readError) {
      if (readError != null) {
        done.completeExceptionally(readError);
        return false;
      }
      if (chunk.isEmpty()) {
        done.complete(total);
        return false;
      }
      byte[] b = chunk.get();
      CompletableFuture<Void> w = to.write(b).toCompletableFuture();
      if (!w.isDone()) {
        w.whenComplete((ok, e) -> {
          if (afterWrite(b.length, e)) {
            run();
          }
        });
        return false;
      }
      return afterWrite(b.length, error(w));
    }

    private boolean afterWrite(int n, Throwable writeError) {
      if (writeError != null) {
        done.completeExceptionally(writeError);
        return false;
      }
      total += n;
      return true;
    }

    private static Throwable error(CompletableFuture<?> f) {
      if (!f.isCompletedExceptionally()) {
        return null;
      }
      try {
        f.join();
        return null;
      } catch (java.util.concurrent.CompletionException e) {
        return e.getCause();
      } catch (java.util.concurrent.CancellationException e) {
        return e;
      }
    }
  }

  /** A source that yields {@code data} and then end of stream. */
  public static ByteSource of(byte[] data) {
    return new ByteSource() {
      private int offset;
      private boolean closed;

      @Override
      public synchronized CompletionStage<Optional<byte[]>> read(int maxBytes) {
        if (closed) {
          return CompletableFuture.failedFuture(GoError.of("read from a closed source"));
        }
        if (offset >= data.length) {
          return CompletableFuture.completedFuture(Optional.empty());
        }
        int n = Math.min(maxBytes, data.length - offset);
        byte[] out = java.util.Arrays.copyOfRange(data, offset, offset + n);
        offset += n;
        return CompletableFuture.completedFuture(Optional.of(out));
      }

      @Override
      public synchronized void close() {
        closed = true;
      }
    };
  }

  /** A source that is at end of stream from the start. */
  public static ByteSource empty() {
    return of(new byte[0]);
  }

  /** A source whose reads wait for good, as a terminal nobody types on; closing it does nothing. */
  public static ByteSource idle() {
    return typedThenIdle(new byte[0]);
  }

  /**
   * A terminal on which {@code keys} were typed: reads yield them, and then wait for good, as nobody types more;
   * closing it does nothing.
   */
  public static ByteSource typedThenIdle(byte[] keys) {
    ByteSource typed = of(keys.clone());
    return new ByteSource() {
      @Override
      public CompletionStage<Optional<byte[]>> read(int maxBytes) {
        return typed.read(maxBytes).thenCompose(chunk -> chunk.isPresent()
            ? CompletableFuture.completedFuture(chunk) : new CompletableFuture<>());
      }

      @Override
      public void close() {
      }
    };
  }

  /** A sink that accepts and forgets everything, as {@code /dev/null} does. */
  public static ByteSink discard() {
    return new ByteSink() {
      @Override
      public CompletionStage<Void> write(byte[] data) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void close() {
      }
    };
  }

  /**
   * Reads {@code from} to end of stream, keeping at most {@code limit} bytes and dropping the rest silently, as
   * containerd's ExecSync does with output past its cap.
   */
  public static CompletionStage<byte[]> readAll(ByteSource from, int limit) {
    Collector c = new Collector(limit);
    return copy(from, c, 32 * 1024).thenApply(n -> c.bytes());
  }

  /** A sink that keeps what is written to it, up to a limit past which bytes are dropped. */
  public static final class Collector implements ByteSink {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int limit;
    private long written;
    private boolean closed;

    /** A collector that keeps at most {@code limit} bytes. */
    public Collector(int limit) {
      this.limit = limit;
    }

    @Override
    public synchronized CompletionStage<Void> write(byte[] data) {
      written += data.length;
      int room = limit - out.size();
      if (room > 0) {
        out.write(data, 0, Math.min(room, data.length));
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void close() {
      closed = true;
    }

    /** The bytes kept so far. */
    public synchronized byte[] bytes() {
      return out.toByteArray();
    }

    /** All bytes written so far, dropped ones included. */
    public synchronized long written() {
      return written;
    }

    /** Whether the writer closed this sink. */
    public synchronized boolean isClosed() {
      return closed;
    }
  }
}
