package io.execsim.core.process;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A process running, or once running, on a simulated node. */
public interface ProcessHandle {

  /** Its process id. */
  int pid();

  /** The id of the container it runs in. */
  String containerId();

  /** Its argument vector. */
  List<String> args();

  /** Completes when it has ended. */
  CompletionStage<ExitStatus> exit();

  /** Whether it is still running. */
  boolean isRunning();

  /** Delivers {@code signal}; {@code SIGKILL} and, for programs that do not handle it, {@code SIGTERM} end it. */
  void signal(Signal signal);
}
