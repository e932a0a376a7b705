package io.execsim.testkit.jqwik;

import io.execsim.core.fault.ComponentName;
import io.execsim.core.fault.Target;

/**
 * The kinds of target a fault plan names, each with its own group of effects: what
 * {@link FaultPlanArbitrary#onlyOn} and {@link FaultArbitrary#onlyOn} keep. Listed in the plan grammar's order,
 * which is also the order a failing fault's target shrinks in: toward {@link #LINK}.
 */
public enum TargetKind {
  /** A link of the chain: a byte stream, a call link or a FIFO of the exec's stdio. */
  LINK,
  /** kube-apiserver. */
  APISERVER,
  /** The kubelet of the pod's node. */
  KUBELET,
  /** The CRI streaming server of containerd. */
  STREAMING,
  /** containerd. */
  CONTAINERD,
  /** The shim of the exec's container. */
  SHIM,
  /** runc, as the shim invokes it. */
  RUNC,
  /** A mount of the node's file system: {@code /tmp} or {@code /run/containerd}. */
  MOUNT,
  /** The exec's process. */
  PROCESS,
  /** The container the exec runs in. */
  CONTAINER;

  /** The kind of {@code component} as a whole. */
  public static TargetKind of(ComponentName component) {
    return switch (component) {
      case APISERVER -> APISERVER;
      case KUBELET -> KUBELET;
      case STREAMING -> STREAMING;
      case CONTAINERD -> CONTAINERD;
      case SHIM -> SHIM;
      case RUNC -> RUNC;
    };
  }

  /** The kind of {@code target}. */
  public static TargetKind of(Target target) {
    if (target instanceof Target.Link) {
      return LINK;
    } else if (target instanceof Target.Component c) {
      return of(c.name());
    } else if (target instanceof Target.Mount) {
      return MOUNT;
    } else if (target instanceof Target.Process) {
      return PROCESS;
    }
    return CONTAINER;
  }
}
