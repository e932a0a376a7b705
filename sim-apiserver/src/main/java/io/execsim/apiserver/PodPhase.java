package io.execsim.apiserver;

/** The phase of a pod, spelled as {@code status.phase} spells it. */
public enum PodPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  UNKNOWN("Unknown");

  private final String value;

  PodPhase(String value) {
    this.value = value;
  }

  /** The value of {@code status.phase}. */
  public String value() {
    return value;
  }
}
