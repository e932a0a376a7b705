package io.execsim.core.fault;

import io.execsim.core.trace.Hop;

/** The components of the chain that a fault can act on as a whole. */
public enum ComponentName {
  /** kube-apiserver, which serves {@code pods/exec} and dials the kubelet. */
  APISERVER("apiserver", "the apiserver", Hop.APISERVER),
  /** The kubelet of the pod's node, which calls the CRI and proxies to the streaming server. */
  KUBELET("kubelet", "the kubelet", Hop.KUBELET),
  /** The CRI streaming server that containerd runs, which serves the exec's streams. */
  STREAMING("streaming", "the streaming server", Hop.STREAMING),
  /** containerd's daemon and its CRI service. */
  CONTAINERD("containerd", "containerd", Hop.CONTAINERD),
  /** The runc shim of the exec's container, which serves the task calls. */
  SHIM("shim", "the shim", Hop.SHIM),
  /** runc, as the shim invokes it for {@code runc exec}. */
  RUNC("runc", "runc", Hop.RUNC);

  private final String label;
  private final String description;
  private final Hop hop;

  ComponentName(String label, String description, Hop hop) {
    this.label = label;
    this.description = description;
    this.hop = hop;
  }

  /** The word a fault plan writes. */
  public String label() {
    return label;
  }

  /** The component in words, e.g. {@code "the kubelet"}, for messages. */
  public String description() {
    return description;
  }

  /** The hop a trace records the component's steps under. */
  public Hop hop() {
    return hop;
  }
}
