package io.execsim.core.fault;

import java.time.Duration;

/** What a fault does to containerd: its CRI service and the daemon. */
public sealed interface ContainerdEffect extends Effect {
  /** containerd's socket refuses connections: CRI calls fail with {@code code = Unavailable}. */
  record Down() implements ContainerdEffect {
    @Override
    public String print() {
      return "down";
    }
  }

  /**
   * containerd exits and starts again after {@code downtime}: calls in flight fail with
   * {@code code = Unavailable desc = transport is closing} and the exec's streams drop, while its process goes on
   * in the shim. Instant.
   *
   * @param downtime how long its socket refuses connections before it serves again
   */
  record Restart(Duration downtime) implements ContainerdEffect {
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

  /** The next CRI call fails with {@code code = DeadlineExceeded ... context deadline exceeded}. Instant. */
  record DeadlineExceeded() implements ContainerdEffect {
    @Override
    public String print() {
      return "deadline-exceeded";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }
}
