package io.execsim.core.fault;

import io.execsim.core.error.GoText;
import java.time.Duration;

/**
 * One fault: where it acts, what it does, when it fires, and for how long.
 *
 * <p>A lasting effect holds from the trigger for {@code duration}, and a zero duration holds it for the rest of
 * the run. An instant effect happens once, at the trigger, and its duration is always zero.
 *
 * @param target where the fault acts
 * @param effect what it does; one of the effects of the target's kind
 * @param trigger when it fires
 * @param duration how long a lasting effect holds, zero for the rest of the run; zero for an instant effect
 */
public record Fault(Target target, Effect effect, Trigger trigger, Duration duration) {
  /** Checks that the effect, the trigger and the duration fit the target and each other. */
  public Fault {
    Rules.effectMismatch(effect, target).ifPresent(Fault::reject);
    Rules.triggerMismatch(trigger, target).ifPresent(Fault::reject);
    Rules.durationMismatch(effect, duration).ifPresent(Fault::reject);
  }

  /** Whether the effect holds until the run ends. */
  public boolean lastsForTheRun() {
    return !effect.isInstant() && duration.isZero();
  }

  /** The fault as one line of a plan, e.g. {@code kubelet restart at phase process-running}. */
  public String print() {
    String line = target.print() + " " + effect.print() + " " + trigger.print();
    return duration.isZero() ? line : line + " for " + GoText.duration(duration);
  }

  /** The printed form. */
  @Override
  public String toString() {
    return print();
  }

  private static void reject(String message) {
    throw new IllegalArgumentException(message);
  }
}
