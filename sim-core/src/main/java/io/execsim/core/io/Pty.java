package io.execsim.core.io;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.process.Signal;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.sched.Scheduler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A pseudo-terminal pair as {@code /dev/ptmx} hands one out: the master, which the process's supervisor (the shim)
 * reads and writes, and the slave, which the process gets as its standard input, output and error, all one terminal.
 * A {@link Pipe} carries the output, the line discipline's buffer the input; every end is open from the start, so
 * nobody waits for the other side to open. Runs on the scheduler's thread; no threads of its own.
 *
 * <p>The terminal keeps the modes Linux gives a new pty ({@code tty_std_termios}), which nothing here changes.
 * Output has {@code OPOST | ONLCR}: each {@code \n} the program writes reads as {@code \r\n} on the master. Input
 * goes through the line discipline: {@code ICRNL} turns {@code \r} into {@code \n}; {@code ICANON} hands the program
 * whole lines only, with {@code DEL} erasing a character, {@code ^W} a word, {@code ^U} the line, and {@code ^D}
 * handing over the line without itself; {@code ECHO} writes what is typed back to the master ({@code ECHOCTL}: a
 * control character as {@code ^X}; {@code ECHOE}, {@code ECHOKE}: erasing as {@code \b \b}); {@code ISIG} turns
 * {@code ^C} and {@code ^\} into {@code SIGINT} and {@code SIGQUIT} for the {@link #onSignal listeners}, dropping
 * the line being typed.
 * Simplified: {@code ^Z}, {@code ^V}, {@code ^R}, {@code ^S} and {@code ^Q} are ordinary characters here; the line
 * being typed has no 4 KiB limit; a signal character does not flush output the master has not read yet.
 *
 * <p>Closing: {@code ^D} on an empty line reads as end of file once, after which the program may read on. Closing
 * {@link #masterInput()} hands over the line being typed and then ends the program's input for good. That is a
 * simplification: a real pty has no end of input. When the process has closed the slave (it ended), the master reads
 * what is buffered and then end of stream, as Go's console reads its EIO. After {@link #closeMaster()} the program's
 * writes fail with {@code EIO}, as on a hung-up terminal.
 *
 * <p>The window size starts as given ({@code 0x0} for a fresh pty). A resize to another size calls the listeners, each
 * in a task of its own, as the kernel sends {@code SIGWINCH} only when the size changes.
 */
public final class Pty {
  private final Scheduler scheduler;
  private final ByteSink masterInput;
  private final ByteSource masterOutput;
  private final ByteSource slaveInput;
  private final ByteSink slaveOutput;
  private final List<Consumer<TerminalSize>> listeners = new ArrayList<>();
  private final List<Consumer<Signal>> signalListeners = new ArrayList<>();
  private TerminalSize size;

  private Pty(Scheduler scheduler, TerminalSize size) {
    this.scheduler = scheduler;
    this.size = size;
    Pipe output = new Pipe(scheduler);
    this.masterOutput = output.openReader();
    this.slaveOutput = new Onlcr(output.openWriter());
    LineDiscipline input = new LineDiscipline(slaveOutput);
    this.masterInput = input.master;
    this.slaveInput = input.slave;
  }

  /** A new pair with the window size {@code size}, as runc opens it for a process with a terminal. */
  public static Pty open(Scheduler scheduler, TerminalSize size) {
    Objects.requireNonNull(size, "size");
    return new Pty(scheduler, size);
  }

  /**
   * The master's writing side: what is written reaches the program as input through the line discipline; closing it
   * ends the input. A write completes once its complete lines are in the program's input and its echo is out.
   */
  public ByteSink masterInput() {
    return masterInput;
  }

  /** The master's reading side: what the program writes, after output processing. */
  public ByteSource masterOutput() {
    return masterOutput;
  }

  /** The slave's reading side: the program's standard input. */
  public ByteSource slaveInput() {
    return slaveInput;
  }

  /** The slave's writing side: the program's standard output and standard error both. */
  public ByteSink slaveOutput() {
    return slaveOutput;
  }

  /** The window size now. */
  public synchronized TerminalSize size() {
    return size;
  }

  /** Sets the window size, as {@code TIOCSWINSZ} on the master does; listeners hear of it only if it changed. */
  public void resize(TerminalSize newSize) {
    Objects.requireNonNull(newSize, "newSize");
    List<Consumer<TerminalSize>> notify;
    synchronized (this) {
      // tty_do_resize: the same size again signals nobody
      if (newSize.equals(size)) {
        return;
      }
      size = newSize;
      notify = List.copyOf(listeners);
    }
    notify.forEach(l -> scheduler.execute(() -> l.accept(newSize)));
  }

  /** Calls {@code listener} with the new size after each change of the window size. */
  public synchronized void onResize(Consumer<TerminalSize> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Calls {@code listener} with the signal a typed {@code ^C} or {@code ^\\} raises for the terminal's foreground
   * process group, each in a task of its own.
   */
  public synchronized void onSignal(Consumer<Signal> listener) {
    signalListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void raise(Signal signal) {
    List<Consumer<Signal>> notify;
    synchronized (this) {
      notify = List.copyOf(signalListeners);
    }
    notify.forEach(l -> scheduler.execute(() -> l.accept(signal)));
  }

  /** Closes both sides of the master, as the shim does when it lets go of the console. */
  public void closeMaster() {
    masterInput.close();
    masterOutput.close();
  }

  /**
   * The input side of {@code n_tty} in canonical mode with the default modes: typed bytes become lines in the read
   * buffer, echo for the master, and signals; the program's reads take the buffer a line at a time. Lines completed
   * by one write become readable once the whole write is processed, as the kernel wakes a reader only then.
   */
  private final class LineDiscipline {
    private static final byte CR = '\r';
    private static final byte NL = '\n';
    private static final byte TAB = '\t';
    private static final byte VINTR = 0x03;
    private static final byte VQUIT = 0x1c;
    private static final byte VEOF = 0x04;
    private static final byte VERASE = 0x7f;
    private static final byte VKILL = 0x15;
    private static final byte VWERASE = 0x17;
    private static final byte[] ERASE_ONE = {'\b', ' ', '\b'};
    /** {@code N_TTY_BUF_SIZE}: unread input beyond this holds the writer back. */
    private static final int CAPACITY = 4096;
    /** What {@code ^D} on an empty line hands over: one read of end of file. */
    private static final byte[] EOF = new byte[0];

    private final ByteSink echo;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Deque<byte[]> ready = new ArrayDeque<>();
    private final Deque<PendingRead> reads = new ArrayDeque<>();
    private final Deque<CompletableFuture<Void>> writers = new ArrayDeque<>();
    private CompletionStage<Void> echoed = CompletableFuture.completedFuture(null);
    private int buffered;
    private boolean inputClosed;
    private boolean readerClosed;

    /** The master's writing side. */
    final ByteSink master = new ByteSink() {
      @Override
      public CompletionStage<Void> write(byte[] data) {
        return receive(data);
      }

      @Override
      public void close() {
        closeInput();
      }
    };

    /** The slave's reading side. */
    final ByteSource slave = new ByteSource() {
      @Override
      public CompletionStage<Optional<byte[]>> read(int maxBytes) {
        return take(maxBytes);
      }

      @Override
      public void close() {
        closeReader();
      }
    };

    private record PendingRead(int maxBytes, CompletableFuture<Optional<byte[]>> result) {
    }

    LineDiscipline(ByteSink echo) {
      this.echo = echo;
    }

    private synchronized CompletionStage<Void> receive(byte[] data) {
      if (inputClosed) {
        return CompletableFuture.failedFuture(Errno.EIO.error());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte b : data) {
        byte c = b == CR ? NL : b;
        switch (c) {
          case VINTR, VQUIT -> {
            // isig without NOFLSH: the line being typed and the unread lines go
            line.reset();
            ready.clear();
            buffered = 0;
            echoChar(out, c);
            raise(c == VINTR ? Signal.SIGINT : Signal.SIGQUIT);
          }
          case VERASE -> eraseLast(out);
          case VWERASE -> {
            while (line.size() > 0 && isBlank(lastByte())) {
              eraseLast(out);
            }
            while (line.size() > 0 && !isBlank(lastByte())) {
              eraseLast(out);
            }
          }
          case VKILL -> {
            while (line.size() > 0) {
              eraseLast(out);
            }
          }
          // the line goes to the program without the ^D, which is not echoed; an empty one reads as end of file
          case VEOF -> handOver(line.size() == 0 ? EOF : takeLine());
          case NL -> {
            out.write(NL);
            line.write(NL);
            handOver(takeLine());
          }
          default -> {
            line.write(c);
            echoChar(out, c);
          }
        }
      }
      if (out.size() > 0) {
        byte[] e = out.toByteArray();
        echoed = echoed.thenCompose(v -> echo.write(e)).exceptionally(err -> null);
      }
      CompletableFuture<Void> accepted = new CompletableFuture<>();
      writers.add(accepted);
      scheduler.execute(this::serve);
      return accepted;
    }

    private void handOver(byte[] l) {
      if (!readerClosed) {
        ready.add(l);
        buffered += l.length;
      }
    }

    private CompletionStage<Optional<byte[]>> take(int maxBytes) {
      CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
      synchronized (this) {
        reads.add(new PendingRead(maxBytes, result));
      }
      serve();
      return result;
    }

    /** Answers waiting reads from the buffer, a line at most each, then lets writers go on while there is room. */
    private void serve() {
      List<Runnable> done = new ArrayList<>();
      synchronized (this) {
        while (!reads.isEmpty() && (!ready.isEmpty() || inputClosed)) {
          PendingRead r = reads.poll();
          byte[] head = ready.poll();
          if (head == null || head == EOF) {
            done.add(() -> r.result().complete(Optional.empty()));
            continue;
          }
          int n = Math.min(r.maxBytes(), head.length);
          if (n < head.length) {
            ready.addFirst(Arrays.copyOfRange(head, n, head.length));
          }
          buffered -= n;
          byte[] chunk = Arrays.copyOf(head, n);
          done.add(() -> r.result().complete(Optional.of(chunk)));
        }
        while (!writers.isEmpty() && buffered < CAPACITY) {
          CompletableFuture<Void> w = writers.poll();
          done.add(() -> w.complete(null));
        }
      }
      done.forEach(Runnable::run);
    }

    private synchronized void closeInput() {
      if (inputClosed) {
        return;
      }
      if (line.size() > 0) {
        handOver(takeLine());
      }
      inputClosed = true;
      scheduler.execute(this::serve);
    }

    private void closeReader() {
      List<CompletableFuture<Void>> release;
      synchronized (this) {
        // Simplified: with nobody reading, typed input is dropped and the writer is never held back
        readerClosed = true;
        ready.clear();
        buffered = 0;
        release = List.copyOf(writers);
        writers.clear();
      }
      release.forEach(w -> w.complete(null));
    }

    private byte[] takeLine() {
      byte[] l = line.toByteArray();
      line.reset();
      return l;
    }

    private byte lastByte() {
      byte[] l = line.toByteArray();
      return l[l.length - 1];
    }

    /** Drops the last character of the line and, if there was one, rubs it out on the screen. */
    private void eraseLast(ByteArrayOutputStream out) {
      byte[] l = line.toByteArray();
      if (l.length == 0) {
        return;
      }
      line.reset();
      line.write(l, 0, l.length - 1);
      byte gone = l[l.length - 1];
      // an echoed control character took two columns. Simplified: so does a tab take one, where the kernel works
      // out the columns it spanned
      int columns = gone != TAB && gone >= 0 && gone < 0x20 ? 2 : 1;
      for (int i = 0; i < columns; i++) {
        out.writeBytes(ERASE_ONE);
      }
    }

    /** {@code echo_char}: a control character other than a tab echoes as {@code ^} and the character plus 64. */
    private static void echoChar(ByteArrayOutputStream out, byte c) {
      if (c != TAB && c >= 0 && c < 0x20) {
        out.write('^');
        out.write(c ^ 0x40);
      } else {
        out.write(c);
      }
    }

    private static boolean isBlank(byte c) {
      return c == ' ' || c == TAB;
    }
  }

  /** The slave's output with {@code ONLCR}; a broken pipe, the master gone, reads as {@code EIO}. */
  private static final class Onlcr implements ByteSink {
    private final ByteSink out;

    Onlcr(ByteSink out) {
      this.out = out;
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      out.write(translate(data)).whenComplete((ok, e) -> {
        if (e == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(hangup(e));
        }
      });
      return done;
    }

    @Override
    public void close() {
      out.close();
    }

    private static byte[] translate(byte[] data) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(data.length + 8);
      for (byte c : data) {
        if (c == '\n') {
          b.write('\r');
        }
        b.write(c);
      }
      return b.toByteArray();
    }

    private static Throwable hangup(Throwable e) {
      GoError g = GoError.from(e);
      return g instanceof Errno.ErrnoError x && x.errno() == Errno.EPIPE ? Errno.EIO.error() : g;
    }
  }
}
