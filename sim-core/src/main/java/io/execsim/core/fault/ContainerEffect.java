package io.execsim.core.fault;

/** What a fault does to the container the exec runs in. */
public sealed interface ContainerEffect extends Effect {
  /**
   * The container stops: its init and every exec process in it die, the exec ends, and new execs fail because
   * the container is not running. Instant.
   */
  record Stopped() implements ContainerEffect {
    @Override
    public String print() {
      return "stopped";
    }

    @Override
    public boolean isInstant() {
      return true;
    }
  }

  /**
   * The container's processes are frozen while the fault lasts: no output, no exit, and new execs fail with
   * {@code cannot exec in a paused container}.
   */
  record Paused() implements ContainerEffect {
    @Override
    public String print() {
      return "paused";
    }
  }
}
