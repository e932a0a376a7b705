package io.execsim.core.trace;

/** The components of the exec chain, in the order a request passes them. */
public enum Hop {
  KUBECTL("kubectl"),
  CTR("ctr"),
  APISERVER("apiserver"),
  KUBELET("kubelet"),
  STREAMING("streaming"),
  CONTAINERD("containerd"),
  SHIM("shim"),
  RUNC("runc"),
  PROCESS("process"),
  NODE("node");

  private final String label;

  Hop(String label) {
    this.label = label;
  }

  /** The short name a trace prints. */
  public String label() {
    return label;
  }
}
