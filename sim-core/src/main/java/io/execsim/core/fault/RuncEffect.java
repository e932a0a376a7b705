package io.execsim.core.fault;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoText;
import java.time.Duration;

/** What a fault does to runc when the shim invokes it. */
public sealed interface RuncEffect extends Effect {
  /** The files runc writes beside its work, which can fail it before the process runs. */
  enum File {
    /** The {@code --pid-file}, written through a temp file in the bundle directory. */
    PID_FILE("pid-file"),
    /** The {@code --log} file, {@code log.json} in the bundle directory. */
    LOG("log");

    private final String label;

    File(String label) {
      this.label = label;
    }

    /** The word a fault plan writes. */
    public String label() {
      return label;
    }
  }

  /**
   * runc fails writing {@code file} with {@code errno} and exits 255, killing the process before it prints
   * anything; the client sees the OCI runtime error carrying the errno's text. Instant.
   *
   * @param errno the error the write fails with, e.g. {@code ENOSPC}
   * @param file the file whose write fails
   */
  record FailsToStart(Errno errno, File file) implements RuncEffect {
    @Override
    public String print() {
      return "fails-to-start " + errno.name() + " " + file.label();
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /**
   * Each invocation of runc takes {@code delay} longer before the process starts.
   *
   * @param delay the added delay, above zero
   */
  record Slow(Duration delay) implements RuncEffect {
    /** Checks the delay. */
    public Slow {
      Rules.requirePositive("a slow runc's delay", delay);
    }

    @Override
    public String print() {
      return "slow " + GoText.duration(delay);
    }
  }
}
