package io.execsim.core.io;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.sched.Scheduler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A pseudo-terminal pair as {@code /dev/ptmx} hands one out: the master, which the process's supervisor (the shim)
 * reads and writes, and the slave, which the process gets as its standard input, output and error, all one terminal.
 * One {@link Pipe} carries each direction; every end is open from the start, so nobody waits for the other side to
 * open. Runs on the scheduler's thread; no threads of its own.
 *
 * <p>Output: Linux gives a new pty {@code OPOST | ONLCR} ({@code tty_std_termios}), so each {@code \n} the program
 * writes reads as {@code \r\n} on the master. Input passes through unchanged.
 * TODO: no input line discipline (the kernel's default has ECHO, ICANON, ICRNL and ISIG): typed bytes are not echoed,
 * reach the program at once, {@code \r} stays {@code \r}, and ^C is no SIGINT.
 *
 * <p>Closing: closing {@link #masterInput()} gives the program end of input. That is a simplification: a real pty
 * has no end of input, the program reads end of file only for ^D in canonical mode. When the process has closed the
 * slave (it ended), the master reads what is buffered and then end of stream, as Go's console reads its EIO. After
 * {@link #closeMaster()} the program's writes fail with {@code EIO}, as on a hung-up terminal.
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
  private TerminalSize size;

  private Pty(Scheduler scheduler, TerminalSize size) {
    this.scheduler = scheduler;
    this.size = size;
    Pipe input = new Pipe(scheduler);
    Pipe output = new Pipe(scheduler);
    this.masterInput = input.openWriter();
    this.slaveInput = input.openReader();
    this.masterOutput = output.openReader();
    this.slaveOutput = new Onlcr(output.openWriter());
  }

  /** A new pair with the window size {@code size}, as runc opens it for a process with a terminal. */
  public static Pty open(Scheduler scheduler, TerminalSize size) {
    Objects.requireNonNull(size, "size");
    return new Pty(scheduler, size);
  }

  /** The master's writing side: what is written reaches the program as input; closing it ends the input. */
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

  /** Closes both sides of the master, as the shim does when it lets go of the console. */
  public void closeMaster() {
    masterInput.close();
    masterOutput.close();
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
