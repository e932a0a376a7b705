package io.execsim.runc;

/** The states of a runc container, as {@code runc state} names them. */
public enum ContainerStatus {
  CREATED("created"),
  RUNNING("running"),
  PAUSED("paused"),
  STOPPED("stopped");

  private final String label;

  ContainerStatus(String label) {
    this.label = label;
  }

  /** The name runc prints. */
  public String label() {
    return label;
  }
}
