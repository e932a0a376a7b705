package io.execsim.examples.chaos;

/** An operator that injects a chaos experiment into a pod by exec and reports what it did. */
public interface ChaosOperator {
  /** Injects the experiment {@code name}, a CPU load, through {@code pod}, and reports its status. */
  ExperimentStatus inject(String name, PodExec pod);
}
