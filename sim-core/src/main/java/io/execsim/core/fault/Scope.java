package io.execsim.core.fault;

/** The kinds of target, each with the group of effects that act on it. */
enum Scope {
  LINK("a link"),
  APISERVER("the apiserver"),
  KUBELET("the kubelet"),
  STREAMING("the streaming server"),
  CONTAINERD("containerd"),
  SHIM("the shim"),
  RUNC("runc"),
  MOUNT("a mount"),
  PROCESS("the process"),
  CONTAINER("the container");

  private final String description;

  Scope(String description) {
    this.description = description;
  }

  /** The kind of target in words, for messages. */
  String description() {
    return description;
  }

  static Scope of(Target target) {
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

  static Scope of(ComponentName component) {
    return switch (component) {
      case APISERVER -> APISERVER;
      case KUBELET -> KUBELET;
      case STREAMING -> STREAMING;
      case CONTAINERD -> CONTAINERD;
      case SHIM -> SHIM;
      case RUNC -> RUNC;
    };
  }

  static Scope of(Effect effect) {
    if (effect instanceof LinkEffect) {
      return LINK;
    } else if (effect instanceof ApiserverEffect) {
      return APISERVER;
    } else if (effect instanceof KubeletEffect) {
      return KUBELET;
    } else if (effect instanceof StreamingEffect) {
      return STREAMING;
    } else if (effect instanceof ContainerdEffect) {
      return CONTAINERD;
    } else if (effect instanceof ShimEffect) {
      return SHIM;
    } else if (effect instanceof RuncEffect) {
      return RUNC;
    } else if (effect instanceof MountEffect) {
      return MOUNT;
    } else if (effect instanceof ProcessEffect) {
      return PROCESS;
    }
    return CONTAINER;
  }
}
