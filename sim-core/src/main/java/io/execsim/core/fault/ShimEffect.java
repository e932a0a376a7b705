package io.execsim.core.fault;

/** What a fault does to the shim of the exec's container. */
public sealed interface ShimEffect extends Effect {
  /**
   * The shim is killed: task calls in flight fail with {@code ttrpc: closed}, the container's processes die with
   * it, and the temp file of an exec being started is left behind. Instant.
   */
  record Killed() implements ShimEffect {
    @Override
    public String print() {
      return "killed";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /** The shim accepts task calls and answers none; callers wait until their own deadlines. */
  record Hung() implements ShimEffect {
    @Override
    public String print() {
      return "hung";
    }
  }
}
