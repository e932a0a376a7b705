package io.execsim.core.task;

import java.util.Locale;

/** Where a task's process stands, as the shim's {@code State} and containerd's {@code Get} report it. */
public enum TaskStatus {
  UNKNOWN, CREATED, RUNNING, STOPPED, PAUSED, PAUSING;

  /** The status as containerd's client names it, e.g. {@code running}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
