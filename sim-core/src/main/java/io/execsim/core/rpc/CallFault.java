package io.execsim.core.rpc;

/** A lasting fault on a {@link CallLink}: a latency or a stall, until removed. */
public interface CallFault {
  /**
   * Takes the fault off its link: what it holds goes on at once, in order (a latency's messages and a stall's
   * alike). Does nothing when it is no longer on.
   */
  void remove();

  /** Whether it is still on its link: neither removed nor dropped with a broken connection. */
  boolean isActive();
}
