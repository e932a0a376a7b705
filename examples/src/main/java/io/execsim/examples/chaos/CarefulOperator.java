package io.execsim.examples.chaos;

import java.time.Duration;
import java.util.List;

/**
 * The fixed operator: the create is idempotent (the experiment's name is its uid, so a retry cannot inject it
 * twice), and when the exec's report is not blade's own answer, it asks blade for the experiment's state before
 * it tries again. It reports {@link ExperimentStatus#FAILED} only when blade itself said the create failed and then
 * that the experiment does not exist, and {@link ExperimentStatus#UNKNOWN} when it runs out of tries without an
 * answer.
 */
public final class CarefulOperator implements ChaosOperator {
  private static final int TRIES = 5;
  private static final Duration BACKOFF = Duration.ofSeconds(10);

  @Override
  public ExperimentStatus inject(String name, PodExec pod) {
    for (int i = 0; i < TRIES; i++) {
      if (i > 0) {
        pod.sleep(BACKOFF);
        // an earlier create may have run, or still be preparing: look before creating again
        PodExec.Result status = pod.exec(List.of("blade", "status", name));
        if (status.bladeSucceeded()) {
          return ExperimentStatus.RUNNING;
        }
      }
      PodExec.Result r = pod.exec(List.of("blade", "create", "cpu", "load", "--uid", name));
      if (r.bladeSucceeded()) {
        return ExperimentStatus.RUNNING;
      }
      if (r.bladeAnswered() && notFound(pod, name)) {
        return ExperimentStatus.FAILED;
      }
    }
    return ExperimentStatus.UNKNOWN;
  }

  /** Whether blade answers, in full, that the experiment does not exist. */
  private static boolean notFound(PodExec pod, String name) {
    PodExec.Result status = pod.exec(List.of("blade", "status", name));
    return status.bladeAnswered() && !status.bladeSucceeded();
  }
}
