package io.execsim.runc.programs;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.FileInfo;
import io.execsim.core.fs.FileType;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ProcessContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What busybox's {@code libbb} gives the applets here: the {@code applet: message} error format, libc's error
 * texts, usage output, number parsing, and the rule that a broken pipe kills while other write errors are reported.
 *
 * <p>Applets work on bytes, as C does; text that must be handled byte by byte (echo, printf) is carried in a
 * {@code String} of ISO-8859-1 characters, one per byte ({@link #raw}, {@link #bytes}).
 */
final class Libbb {
  /** The first line of busybox's usage output; the Debian version suffix is inferred from the package version. */
  static final String BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

  /** {@code bkm_suffixes} of head and friends. */
  static final Map<String, Long> BKM_SUFFIXES = Map.of("b", 512L, "k", 1024L, "m", 1024L * 1024);

  /** The largest read of the copying applets ({@code CONFIG_FEATURE_COPYBUF_KB} is 64 in Debian's build). */
  static final int COPY_BUFFER = 64 * 1024;

  private Libbb() {
  }

  /** Prints {@code applet: message} on stderr, as {@code bb_error_msg} does. */
  static CompletionStage<Void> error(ProcessContext ctx, String applet, String message) {
    return ctx.printErr(applet + ": " + message + "\n");
  }

  /** Prints the error and exits 1, as {@code bb_error_msg_and_die} does. */
  static CompletionStage<Integer> die(ProcessContext ctx, String applet, String message) {
    return error(ctx, applet, message).thenApply(v -> 1);
  }

  /** Prints the usage text and exits 1, as {@code bb_show_usage} does. */
  static CompletionStage<Integer> usage(ProcessContext ctx, String applet, String usage) {
    String text = BANNER + "\n\nUsage: " + applet + (usage.startsWith("\n") ? "" : " ") + usage + "\n";
    return ctx.printErr(text).thenApply(v -> 1);
  }

  /** The text glibc's {@code strerror} gives: Go's text for the errno with its first letter upper-cased. */
  static String strerror(Errno errno) {
    String t = errno.text();
    return Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }

  /** The {@code strerror} text of what failed an operation, or its own text when it carries no errno. */
  static String strerror(Throwable failure) {
    Throwable t = unwrap(failure);
    return errno(t).map(Libbb::strerror).orElseGet(() -> t instanceof GoError ? ((GoError) t).text() : t.toString());
  }

  /** The errno somewhere in the chain of {@code failure}. */
  static Optional<Errno> errno(Throwable failure) {
    for (Throwable t = unwrap(failure); t != null; t = t.getCause()) {
      if (t instanceof Errno.ErrnoError) {
        return Optional.of(((Errno.ErrnoError) t).errno());
      }
    }
    return Optional.empty();
  }

  /** Whether a write failed because nobody reads the other end any more. */
  static boolean isBrokenPipe(Throwable failure) {
    return errno(failure).filter(e -> e == Errno.EPIPE).isPresent();
  }

  /** {@code t} without the wrappers that completion stages add. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * The exit code once {@code writes} to stdout are done: {@code code}, or 1 after {@code applet: write error: ...}
   * when a write failed. A broken pipe fails the stage instead, which ends the process by {@code SIGPIPE}.
   */
  static CompletionStage<Integer> exitAfter(ProcessContext ctx, String applet, CompletionStage<?> writes, int code) {
    return writes.handle((v, e) -> e == null ? CompletableFuture.completedFuture(code) : writeFailed(ctx, applet, e))
        .thenCompose(s -> s);
  }

  /** Reports a failed write to stdout as busybox does, unless the pipe is broken. */
  static CompletionStage<Integer> writeFailed(ProcessContext ctx, String applet, Throwable failure) {
    if (isBrokenPipe(failure)) {
      return CompletableFuture.failedFuture(unwrap(failure));
    }
    return die(ctx, applet, "write error: " + strerror(failure));
  }

  /**
   * An unsigned decimal with an optional suffix, as {@code xatoul_sfx} reads it: no sign, no blanks, and nothing
   * after the digits but one of {@code suffixes}. Empty when the text is not such a number.
   */
  static OptionalLong parseUnsigned(String text, Map<String, Long> suffixes) {
    int end = 0;
    while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
      end++;
    }
    if (end == 0) {
      return OptionalLong.empty();
    }
    long value;
    try {
      value = Long.parseLong(text.substring(0, end));
    } catch (NumberFormatException tooBig) {
      return OptionalLong.empty();
    }
    String suffix = text.substring(end);
    if (suffix.isEmpty()) {
      return OptionalLong.of(value);
    }
    Long mult = suffixes.get(suffix);
    return mult == null ? OptionalLong.empty() : OptionalLong.of(value * mult);
  }

  /**
   * Opens {@code path} for reading as {@code open(2)} would: {@code -} is stdin, {@code /dev/null} reads as empty
   * whether or not the container has it, and a directory opens but its reads fail with {@code EISDIR}.
   *
   * @throws GoError when the file cannot be opened
   */
  static ByteSource openInput(ProcessContext ctx, String path) {
    if (path.equals("-")) {
      return ctx.stdin();
    }
    String p = ctx.resolve(path);
    if (p.equals("/dev/null")) {
      return Streams.empty();
    }
    FileInfo info = ctx.files().stat(p);
    if (info.isDirectory()) {
      return new FailingStream(Errno.EISDIR);
    }
    if (info.type() == FileType.FIFO) {
      // TODO: FIFOs inside a container cannot be opened through its file system view; they fail as if absent
      throw new PathError("open", path, Errno.ENXIO);
    }
    return Streams.of(ctx.files().readFile(p));
  }

  /**
   * Copies {@code from} to stdout in reads of up to 64 KiB, as {@code bb_copyfd_eof} does; the stage yields 0, or 1
   * after {@code read error: ...} or {@code write error: ...}. A broken pipe fails the stage.
   */
  static CompletionStage<Integer> copyToStdout(ProcessContext ctx, String applet, ByteSource from) {
    boolean[] writeFailed = new boolean[1];
    ByteSink out = new ByteSink() {
      @Override
      public CompletionStage<Void> write(byte[] data) {
        return ctx.stdout().write(data).whenComplete((v, e) -> writeFailed[0] |= e != null);
      }

      @Override
      public void close() {
      }
    };
    return Streams.copy(from, out, COPY_BUFFER).handle((n, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(0);
      }
      return writeFailed[0] ? writeFailed(ctx, applet, e) : die(ctx, applet, "read error: " + strerror(e));
    }).thenCompose(s -> s);
  }

  /** The bytes of {@code text} (UTF-8) as a string of one character per byte. */
  static String raw(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** The bytes a string of one character per byte stands for. */
  static byte[] bytes(CharSequence raw) {
    return raw.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Both ends of a stream that is not open: every read and write fails with {@code errno}. */
  static final class FailingStream implements ByteSource, ByteSink {
    private final Errno errno;

    FailingStream(Errno errno) {
      this.errno = errno;
    }

    @Override
    public CompletionStage<Optional<byte[]>> read(int maxBytes) {
      return CompletableFuture.failedFuture(errno.error());
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      return CompletableFuture.failedFuture(errno.error());
    }

    @Override
    public void close() {
    }
  }
}
