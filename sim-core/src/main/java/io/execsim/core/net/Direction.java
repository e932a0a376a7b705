package io.execsim.core.net;

/** One of the two directions of a link, named by where its bytes go. */
public enum Direction {
  /** From the dialing end to the listening end (Toxiproxy's upstream). */
  TO_SERVER("to-server"),
  /** From the listening end to the dialing end (Toxiproxy's downstream). */
  TO_CLIENT("to-client");

  private final String label;

  Direction(String label) {
    this.label = label;
  }

  /** The name a trace prints, e.g. {@code to-client}. */
  public String label() {
    return label;
  }

  /** The other direction. */
  public Direction reverse() {
    return this == TO_SERVER ? TO_CLIENT : TO_SERVER;
  }
}
