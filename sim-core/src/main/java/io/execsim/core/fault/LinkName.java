package io.execsim.core.fault;

/**
 * The links of the exec chain that a fault can act on: the three byte streams, the three FIFOs of the exec's stdio,
 * and the two kinds of calls.
 */
public enum LinkName {
  /** L1: kubectl's connection to the apiserver. */
  CLIENT_APISERVER("client-apiserver", Kind.BYTE_STREAM),
  /** L2: the apiserver's connection to the kubelet. */
  APISERVER_KUBELET("apiserver-kubelet", Kind.BYTE_STREAM),
  /** L3: the kubelet's proxied connection to the CRI streaming server. */
  KUBELET_STREAMING("kubelet-streaming", Kind.BYTE_STREAM),
  /** C1: the CRI calls the kubelet makes to containerd. */
  KUBELET_CONTAINERD("kubelet-containerd", Kind.CALLS),
  /** C2: the task calls containerd makes to the shim. */
  CONTAINERD_SHIM("containerd-shim", Kind.CALLS),
  /** The FIFO that carries the exec's stdin to the process. */
  STDIN("stdin", Kind.FIFO),
  /** The FIFO that carries the process's stdout to the shim. */
  STDOUT("stdout", Kind.FIFO),
  /** The FIFO that carries the process's stderr to the shim. */
  STDERR("stderr", Kind.FIFO);

  /** What a link carries, which decides the effects and triggers it takes. */
  public enum Kind {
    /** Bytes on a connection, framed by HTTP, WebSocket or SPDY. */
    BYTE_STREAM("byte stream"),
    /** Bytes through a named pipe, one way only. */
    FIFO("FIFO"),
    /** Request and response messages over gRPC or ttrpc. */
    CALLS("call link");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** The kind in words, for messages. */
    public String description() {
      return description;
    }
  }

  private final String label;
  private final Kind kind;

  LinkName(String label, Kind kind) {
    this.label = label;
    this.kind = kind;
  }

  /** The word a fault plan writes. */
  public String label() {
    return label;
  }

  /** What the link carries. */
  public Kind kind() {
    return kind;
  }

  /** Whether the link carries bytes, so a byte offset can be counted on it. */
  public boolean carriesBytes() {
    return kind != Kind.CALLS;
  }

  /**
   * The direction a fault on this link acts in when none is named: the one way of a FIFO, both ways on the others.
   */
  public Direction defaultDirection() {
    return switch (this) {
      case STDIN -> Direction.TOWARD_PROCESS;
      case STDOUT, STDERR -> Direction.TOWARD_CLIENT;
      default -> Direction.BOTH;
    };
  }
}
