package io.execsim.core.trace;

import java.time.Duration;

/**
 * One step a hop took.
 *
 * @param at virtual time since the simulation's epoch
 * @param hop the hop that took the step
 * @param phase the named phase of the step
 * @param detail what a person needs to follow the step: ids, paths, sizes, error texts
 */
public record TraceEvent(Duration at, Hop hop, Phase phase, String detail) {

  /** The event as one line of a trace's text: time, hop, phase, detail. */
  public String render() {
    long micros = at.toNanos() / 1_000;
    String time = String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    return String.format("%12s  %-10s  %-20s  %s", time, hop.label(), phase.label(), detail).stripTrailing();
  }
}
