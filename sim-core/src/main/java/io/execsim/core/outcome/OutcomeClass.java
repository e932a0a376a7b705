package io.execsim.core.outcome;

/**
 * How the client's report of an exec relates to what really happened. The class judges the exec chain, not the
 * command: a command that exits 3 and is reported as {@code command terminated with exit code 3} succeeded as an
 * exec.
 */
public enum OutcomeClass {
  /** The process ran to its end and the client reported its exit status: 0, or {@code exit code N}. */
  SUCCEEDED,
  /** The process never started and the client reported a failure: nothing happened in the container. */
  FAILED_BEFORE_START,
  /**
   * The process started and the client reported a failure that is not the process's own exit status: the work may
   * have been done although the caller was told it failed.
   */
  FAILED_AFTER_START,
  /**
   * The client reported success, but the process still runs, ended with a status other than 0, or never started
   * while the client printed nothing: the success was not the process's own (kubectl's exit 0 when a kubelet
   * restart drops its connection, before or after the runtime started the process).
   */
  REPORTED_SUCCESS_UNFINISHED,
  /**
   * The client reported success and printed output, but no process started: output nobody wrote. The chain never
   * does this: a simulator bug.
   */
  REPORTED_SUCCESS_WITHOUT_RUNNING
}
