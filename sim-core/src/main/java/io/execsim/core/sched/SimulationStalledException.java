package io.execsim.core.sched;

/**
 * Thrown by {@link Scheduler#await} in deterministic mode when the simulation has nothing left to run but the
 * awaited result is not there: every hop is waiting for another, as a real chain that hangs would.
 */
public final class SimulationStalledException extends IllegalStateException {

  /** A stall noticed at the virtual time {@code at}. */
  public SimulationStalledException(String message) {
    super(message);
  }
}
