package io.execsim.core.fault;

import java.time.Duration;

/** What a fault does to the apiserver. */
public sealed interface ApiserverEffect extends Effect {
  /** The apiserver refuses connections; kubectl fails with {@code connect: connection refused}. */
  record Down() implements ApiserverEffect {
    @Override
    public String print() {
      return "down";
    }
  }

  /**
   * The apiserver drops every connection, both legs of each exec, and serves again after {@code downtime}; the
   * exec's process goes on in the container. Instant.
   *
   * @param downtime how long it refuses connections before it serves again
   */
  record Restart(Duration downtime) implements ApiserverEffect {
    /** Checks the downtime. */
    public Restart {
      Rules.requireNotNegative("a restart's downtime", downtime);
    }

    @Override
    public String print() {
      return Rules.printRestart(downtime);
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }
}
