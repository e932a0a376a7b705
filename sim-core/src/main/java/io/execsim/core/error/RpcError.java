package io.execsim.core.error;

/**
 * A gRPC or ttrpc status as the caller receives it; it prints as {@code rpc error: code = <Code> desc = <desc>}.
 */
public final class RpcError extends GoError {
  private final RpcCode code;
  private final String description;

  private RpcError(RpcCode code, String description) {
    super("rpc error: code = " + code.goName() + " desc = " + description, null, null);
    this.code = code;
    this.description = description;
  }

  /** A status with the given code and description. */
  public static RpcError of(RpcCode code, String description) {
    if (code == RpcCode.OK) {
      throw new IllegalArgumentException("an error status cannot have code OK");
    }
    return new RpcError(code, description);
  }

  /**
   * A gRPC or ttrpc service's edge: runs {@code call}, and an error it throws or fails its stage with leaves as
   * {@link #toGrpc} sends it.
   */
  public static <T> java.util.concurrent.CompletionStage<T> atEdge(
      java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
    java.util.concurrent.CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (GoError e) {
      return java.util.concurrent.CompletableFuture.failedFuture(toGrpc(e));
    }
    java.util.concurrent.CompletableFuture<T> out = new java.util.concurrent.CompletableFuture<>();
    stage.whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
      } else {
        out.completeExceptionally(toGrpc(GoError.from(e)));
      }
    });
    return out;
  }

  /**
   * The status a Go server sends for {@code err}, as {@code errgrpc.ToGRPC} builds it: the code of its errdefs class
   * (Unknown for a plain error), the error's whole text as the description, and a status passed on unchanged.
   */
  public static RpcError toGrpc(GoError err) {
    if (err instanceof RpcError) {
      return (RpcError) err;
    }
    return new RpcError(err.errdefs().map(Errdefs::code).orElse(RpcCode.UNKNOWN), err.text());
  }

  /**
   * The error a containerd client makes of a received status, as {@code errgrpc.ToNative} does: the class of the
   * code, and the description with a trailing {@code ": <class>"} removed and appended again, so that it appears
   * exactly once however many hops the error crossed.
   */
  public GoError toNative() {
    Errdefs cls = Errdefs.of(code);
    String suffix = ": " + cls.text();
    if (description.equals(cls.text())) {
      return new GoError(cls.text(), null, cls);
    }
    String base = description.endsWith(suffix)
        ? description.substring(0, description.length() - suffix.length())
        : description;
    return new GoError(base + suffix, null, cls);
  }

  /** The status code. */
  public RpcCode code() {
    return code;
  }

  /** The status description. */
  public String description() {
    return description;
  }
}
