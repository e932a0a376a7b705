package io.execsim.core.error;

/** gRPC status codes, named as gRPC-Go prints them in {@code rpc error: code = <Name> desc = ...}. */
public enum RpcCode {
  OK("OK"),
  CANCELLED("Canceled"),
  UNKNOWN("Unknown"),
  INVALID_ARGUMENT("InvalidArgument"),
  DEADLINE_EXCEEDED("DeadlineExceeded"),
  NOT_FOUND("NotFound"),
  ALREADY_EXISTS("AlreadyExists"),
  PERMISSION_DENIED("PermissionDenied"),
  RESOURCE_EXHAUSTED("ResourceExhausted"),
  FAILED_PRECONDITION("FailedPrecondition"),
  ABORTED("Aborted"),
  OUT_OF_RANGE("OutOfRange"),
  UNIMPLEMENTED("Unimplemented"),
  INTERNAL("Internal"),
  UNAVAILABLE("Unavailable"),
  DATA_LOSS("DataLoss"),
  UNAUTHENTICATED("Unauthenticated");

  private final String goName;

  RpcCode(String goName) {
    this.goName = goName;
  }

  /** The name gRPC-Go prints for the code. */
  public String goName() {
    return goName;
  }
}
