package io.execsim.examples.chaos;

import java.util.List;

/**
 * An operator with the bug real ones have had: it trusts the exec's report. When the exec fails, or ends without
 * blade's answer, it reports the experiment as failed, although the command may have run in the container and the
 * experiment be in effect (kubectl exits 0 with nothing printed when the kubelet restarts while the command runs).
 */
public final class NaiveOperator implements ChaosOperator {
  @Override
  public ExperimentStatus inject(String name, PodExec pod) {
    PodExec.Result r = pod.exec(List.of("blade", "create", "cpu", "load"));
    return r.bladeSucceeded() ? ExperimentStatus.RUNNING : ExperimentStatus.FAILED;
  }
}
