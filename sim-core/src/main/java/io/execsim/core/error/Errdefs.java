package io.execsim.core.error;

/**
 * The error classes of containerd's errdefs package, with the text each class appends and the gRPC code it maps to.
 */
public enum Errdefs {
  UNKNOWN("unknown", RpcCode.UNKNOWN),
  INVALID_ARGUMENT("invalid argument", RpcCode.INVALID_ARGUMENT),
  NOT_FOUND("not found", RpcCode.NOT_FOUND),
  ALREADY_EXISTS("already exists", RpcCode.ALREADY_EXISTS),
  FAILED_PRECONDITION("failed precondition", RpcCode.FAILED_PRECONDITION),
  UNAVAILABLE("unavailable", RpcCode.UNAVAILABLE),
  NOT_IMPLEMENTED("not implemented", RpcCode.UNIMPLEMENTED),
  CANCELED("context canceled", RpcCode.CANCELLED),
  DEADLINE_EXCEEDED("context deadline exceeded", RpcCode.DEADLINE_EXCEEDED);

  private final String text;
  private final RpcCode code;

  Errdefs(String text, RpcCode code) {
    this.text = text;
    this.code = code;
  }

  /** The text of the class's sentinel error, e.g. {@code "not found"}. */
  public String text() {
    return text;
  }

  /** The class's sentinel error, whose text is {@link #text()}; wrap it to put an error in this class. */
  public GoError error() {
    return new GoError(text, null, this);
  }

  /** The gRPC code that {@code errgrpc.ToGRPC} gives an error of this class. */
  public RpcCode code() {
    return code;
  }

  /** The class that {@code errgrpc.ToNative} gives a status with {@code code}. */
  public static Errdefs of(RpcCode code) {
    for (Errdefs e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return UNKNOWN;
  }
}
