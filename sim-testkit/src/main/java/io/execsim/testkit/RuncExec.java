package io.execsim.testkit;

import io.execsim.core.process.ProcessHandle;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code runc exec} a node's shim invoked, as the node saw it: the exec's id (from {@code --pid-file}), the
 * container, the process's arguments (from {@code --process}), and the process runc started, once runc returned
 * with success. Written on the simulation's thread, read by tests between steps.
 */
final class RuncExec {
  private final String execId;
  private final String containerId;
  private final List<String> args;
  private @Nullable ProcessHandle process;
  private boolean returned;

  RuncExec(String execId, String containerId, List<String> args) {
    this.execId = execId;
    this.containerId = containerId;
    this.args = List.copyOf(args);
  }

  String execId() {
    return execId;
  }

  String containerId() {
    return containerId;
  }

  List<String> args() {
    return args;
  }

  /** The process runc started; empty while runc runs and when it failed to start one. */
  synchronized Optional<ProcessHandle> process() {
    return Optional.ofNullable(process);
  }

  /** Whether runc has returned. */
  synchronized boolean hasReturned() {
    return returned;
  }

  synchronized void returned(@Nullable ProcessHandle started) {
    this.process = started;
    this.returned = true;
  }
}
