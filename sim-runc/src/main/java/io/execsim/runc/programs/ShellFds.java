package io.execsim.runc.programs;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.fs.FileHandle;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.process.ProcessContext;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A shell's file descriptors while it runs a command: what each number refers to. A copy is made for each command
 * so that its redirections end with it; the streams themselves are shared, not closed here.
 */
final class ShellFds {
  private static final Libbb.FailingStream CLOSED = new Libbb.FailingStream(Errno.EBADF);

  private final TreeMap<Integer, Fd> table;

  private ShellFds(TreeMap<Integer, Fd> table) {
    this.table = table;
  }

  /** What a descriptor refers to: a stream to read, to write, or (a terminal) both. */
  record Fd(@Nullable ByteSource in, @Nullable ByteSink out) {

    static Fd reading(ByteSource in) {
      return new Fd(in, null);
    }

    static Fd writing(ByteSink out) {
      return new Fd(null, out);
    }
  }

  /** Descriptors 0, 1 and 2 of the process. */
  static ShellFds standard(ProcessContext ctx) {
    TreeMap<Integer, Fd> t = new TreeMap<>();
    t.put(0, Fd.reading(ctx.stdin()));
    t.put(1, Fd.writing(ctx.stdout()));
    t.put(2, Fd.writing(ctx.stderr()));
    return new ShellFds(t);
  }

  /** A copy whose changes leave this table as it is. */
  ShellFds copy() {
    return new ShellFds(new TreeMap<>(table));
  }

  /** What {@code fd} refers to, unless it is closed. */
  Optional<Fd> get(int fd) {
    return Optional.ofNullable(table.get(fd));
  }

  /** Points {@code fd} at {@code target}. */
  void set(int fd, Fd target) {
    table.put(fd, target);
  }

  /** Closes {@code fd} for the command, as {@code N>&-} does. */
  void close(int fd) {
    table.remove(fd);
  }

  /** The stream to read from {@code fd}; one failing with {@code EBADF} when it is closed or write-only. */
  ByteSource in(int fd) {
    Fd f = table.get(fd);
    return f != null && f.in() != null ? f.in() : CLOSED;
  }

  /** The stream to write to {@code fd}; one failing with {@code EBADF} when it is closed or read-only. */
  ByteSink out(int fd) {
    Fd f = table.get(fd);
    return f != null && f.out() != null ? f.out() : CLOSED;
  }

  /** Writes to an open file; each write completes at once, with the file system's error if it failed. */
  static final class FileSink implements ByteSink {
    private final FileHandle file;

    FileSink(FileHandle file) {
      this.file = file;
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      try {
        file.write(data);
        return CompletableFuture.completedFuture(null);
      } catch (GoError e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void close() {
      file.close();
    }
  }
}
