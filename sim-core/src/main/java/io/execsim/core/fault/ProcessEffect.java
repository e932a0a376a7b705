package io.execsim.core.fault;

import io.execsim.core.process.Signal;

/** What a fault does to the exec's process. */
public sealed interface ProcessEffect extends Effect {
  /**
   * The process dies of {@code signal}; the client sees {@code command terminated with exit code} 128 plus the
   * signal's number (137 for {@code SIGKILL}). Instant.
   *
   * @param signal a signal whose default action ends the process
   */
  record Killed(Signal signal) implements ProcessEffect {
    /** Checks that the signal ends a process. */
    public Killed {
      // signal(7): SIGCONT and SIGWINCH are ignored by default and SIGSTOP stops without ending
      if (signal == Signal.SIGCONT || signal == Signal.SIGWINCH || signal == Signal.SIGSTOP) {
        throw new IllegalArgumentException("a process is killed by a signal that ends it: " + signal.name());
      }
    }

    /** The exit code the shell convention reports for the signal, 128 plus its number. */
    public int exitCode() {
      return 128 + signal.number();
    }

    @Override
    public String print() {
      return "killed " + signal.name();
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /** The process never exits: the exec's streams stay open until something else ends them. Instant. */
  record NeverExits() implements ProcessEffect {
    @Override
    public String print() {
      return "never-exits";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /**
   * The process exits with {@code exitCode} while its output is still flowing; what it had not yet written never
   * arrives, and the client sees the exit code. Instant.
   *
   * @param exitCode the exit code, 0 to 255
   */
  record ExitsEarly(int exitCode) implements ProcessEffect {
    /** Checks the exit code. */
    public ExitsEarly {
      if (exitCode < 0 || exitCode > 255) {
        throw new IllegalArgumentException("an exit code must be 0 to 255: " + exitCode);
      }
    }

    @Override
    public String print() {
      return "exits-early code " + exitCode;
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }
}
