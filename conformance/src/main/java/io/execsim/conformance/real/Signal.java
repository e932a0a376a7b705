package io.execsim.conformance.real;

/** The signals the real side sends, named as {@code kill -s} takes them. */
enum Signal {
  /** Ends the process at once; it cannot be caught. */
  KILL,
  /** Asks the process to end; containerd shuts down in an orderly way on it. */
  TERM,
  /** Stops the process until {@link #CONT}; it answers nothing meanwhile. */
  STOP,
  /** Continues a stopped process. */
  CONT
}
