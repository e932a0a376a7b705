package io.execsim.core.fault;

/** Which way the bytes or messages of a link travel, named after the end they travel toward. */
public enum Direction {
  /** From the client toward the process: requests, stdin. */
  TOWARD_PROCESS("toward-process"),
  /** From the process toward the client: responses, stdout, stderr, the exit status. */
  TOWARD_CLIENT("toward-client"),
  /** Both ways at once. */
  BOTH("both");

  private final String label;

  Direction(String label) {
    this.label = label;
  }

  /** The word a fault plan writes. */
  public String label() {
    return label;
  }

  /** Whether this direction includes {@code one}, a single way. */
  public boolean includes(Direction one) {
    return this == BOTH || this == one;
  }
}
