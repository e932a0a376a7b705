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

  /**
   * Ends the process now with {@code exitCode}, as if its program had called {@code exit()}: what it wrote before
   * still reaches its readers, it writes nothing more, and its children go on running. It then ended with
   * {@link ExitStatus#exited(int)}. Does nothing once the process has ended.
   *
   * @throws IllegalArgumentException when {@code exitCode} is not 0 to 255
   */
  void exitEarly(int exitCode);

  /**
   * From now on the process does not end when its program finishes: it stays running, its streams open, like a
   * process stuck in uninterruptible sleep, and only {@code SIGKILL} ends it. What the program still writes before
   * it finishes is written. Does nothing once the process has ended.
   */
  void neverExit();
}
