package io.execsim.core.process;

/** Linux signals that the chain sends, with their numbers. */
public enum Signal {
  SIGHUP(1),
  SIGINT(2),
  SIGQUIT(3),
  SIGABRT(6),
  SIGKILL(9),
  SIGPIPE(13),
  SIGTERM(15),
  SIGCONT(18),
  SIGSTOP(19),
  SIGWINCH(28);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  /** The signal number. */
  public int number() {
    return number;
  }

  /** The signal with {@code number}. */
  public static Signal of(int number) {
    for (Signal s : values()) {
      if (s.number == number) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown signal number: " + number);
  }
}
