package io.execsim.core.trace;

/** The named steps of an exec, the same in every run; a trace records them per hop and faults trigger on them. */
public enum Phase {
  CLIENT_REQUEST("client-request"),
  CLIENT_UPGRADE("client-upgrade"),
  KUBELET_DIAL("kubelet-dial"),
  KUBELET_UPGRADE("kubelet-upgrade"),
  CRI_EXEC("cri-exec"),
  CRI_EXEC_SYNC("cri-exec-sync"),
  TOKEN_ISSUED("token-issued"),
  STREAMING_UPGRADE("streaming-upgrade"),
  STREAMS_NEGOTIATED("streams-negotiated"),
  FIFOS_CREATED("fifos-created"),
  TASK_EXEC("task-exec"),
  TASK_START("task-start"),
  PROCESS_SPEC_WRITTEN("process-spec-written"),
  RUNC_STARTED("runc-started"),
  RUNC_EXITED("runc-exited"),
  PROCESS_RUNNING("process-running"),
  OUTPUT_FLOWING("output-flowing"),
  STDIN_CLOSED("stdin-closed"),
  PROCESS_EXITED("process-exited"),
  TASK_DELETE("task-delete"),
  EXIT_STATUS_SENT("exit-status-sent"),
  STREAMS_CLOSED("streams-closed"),
  EXEC_FAILED("exec-failed"),
  FILE_WRITTEN("file-written"),
  FILE_REMOVED("file-removed"),
  FAULT_FIRED("fault-fired");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  /** The name a trace prints. */
  public String label() {
    return label;
  }
}
