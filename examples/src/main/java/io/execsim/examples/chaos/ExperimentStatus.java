package io.execsim.examples.chaos;

/** What an operator reports for an experiment, as the phase in its custom resource's status. */
public enum ExperimentStatus {
  /** The experiment is in effect. */
  RUNNING,
  /** The experiment was not injected. */
  FAILED,
  /** The operator could not tell; it will look again. */
  UNKNOWN
}
