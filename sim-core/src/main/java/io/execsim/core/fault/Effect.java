package io.execsim.core.fault;

/**
 * What a fault does, grouped by the kind of target it acts on. An effect either lasts for its fault's duration (a
 * latency, a component down, a full mount) or is instant: it happens once, when the fault fires (a reset, a
 * restart, a kill), and its fault has no duration.
 */
public sealed interface Effect
    permits LinkEffect, ApiserverEffect, KubeletEffect, StreamingEffect, ContainerdEffect, ShimEffect, RuncEffect,
    MountEffect, ProcessEffect, ContainerEffect {
  /** The effect as a fault plan writes it, e.g. {@code latency 200ms jitter 50ms}. */
  String print();

  /** Whether the effect happens once, when its fault fires, rather than lasting for the fault's duration. */
  default boolean isInstant() {
    return false;
  }

  /** Whether the effect can act on {@code target}. */
  default boolean appliesTo(Target target) {
    return Rules.effectMismatch(this, target).isEmpty();
  }
}
