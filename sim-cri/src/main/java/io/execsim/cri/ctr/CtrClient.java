package io.execsim.cri.ctr;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.node.Node;
import io.execsim.core.rpc.CallLink;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.Timeouts;
import io.execsim.cri.api.ContainerdApi;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * containerd's Go client as ctr makes it ({@code containerd.New}): a gRPC connection dialed at once, whose calls
 * carry ctr's context deadline ({@code --timeout}). A call fails with the status gRPC gives it: the server's, or
 * {@code Unavailable: transport is closing} when containerd goes away meanwhile, or
 * {@code DeadlineExceeded: context deadline exceeded}. A call after the connection was lost dials again, as gRPC
 * reconnects, and fails with {@code Unavailable} if that fails.
 */
final class CtrClient {
  private static final String TRANSPORT_CLOSING = "transport is closing";
  private static final Duration RETRY = Duration.ofMillis(10);

  private final Node node;
  private final String address;
  private final @Nullable Instant deadline;
  private @Nullable CallLink link;
  private @Nullable ContainerdApi api;
  private boolean closed;

  private CtrClient(Node node, String address, @Nullable Instant deadline) {
    this.node = node;
    this.address = address;
    this.deadline = deadline;
  }

  /**
   * Dials containerd at {@code address}, as {@code containerd.New} does with a blocking gRPC dial: a missing socket
   * file is tried again every 10 ms until {@code connectTimeout} has passed; any other failure ends the dial at once.
   * Fails with containerd's texts, {@code failed to dial "<address>": connection error: desc = "transport: error while
   * dialing: dial unix <path>: connect: connection refused"}, or after the timeout {@code failed to dial "<address>":
   * context deadline exceeded: connection error: desc = "transport: error while dialing: dial unix://<path>:
   * timeout"}.
   */
  static CompletionStage<CtrClient> dial(Node node, String address, Duration connectTimeout,
      @Nullable Instant deadline) {
    CtrClient c = new CtrClient(node, address, deadline);
    CompletableFuture<CtrClient> out = new CompletableFuture<>();
    Instant giveUp = node.scheduler().now().plus(connectTimeout);
    c.attempt(out, giveUp);
    return out;
  }

  private void attempt(CompletableFuture<CtrClient> out, Instant giveUp) {
    try {
      connect();
      out.complete(this);
      return;
    } catch (GoError e) {
      if (!isNoEntry(e)) {
        out.completeExceptionally(GoError.wrap("failed to dial " + GoText.quote(address), connectionError(e)));
        return;
      }
    }
    // pkg/dialer: ENOENT means containerd has not made its socket yet, so the dialer waits 10 ms and tries again
    Instant now = node.scheduler().now();
    if (now.plus(RETRY).isBefore(giveUp)) {
      node.scheduler().schedule(RETRY, () -> attempt(out, giveUp));
      return;
    }
    Duration left = Duration.between(now, giveUp);
    node.scheduler().schedule(left.isNegative() ? Duration.ZERO : left, () -> out.completeExceptionally(
        GoError.wrap("failed to dial " + GoText.quote(address), GoError.wrap("context deadline exceeded",
            GoError.of("connection error: desc = " + GoText.quote("transport: error while dialing: dial "
                + dialAddress() + ": timeout"))))));
  }

  /** gRPC's target, {@code dialer.DialAddress}: {@code unix://} and the address. */
  private String dialAddress() {
    return address.startsWith("unix://") ? address : "unix://" + address;
  }

  private static boolean isNoEntry(GoError e) {
    return e.root() instanceof Errno.ErrnoError n && n.errno() == Errno.ENOENT;
  }

  private void connect() {
    String path = address.startsWith("unix://") ? address.substring("unix://".length()) : address;
    CallServer<?> server = node.sockets().dial(path);
    api = server.service(ContainerdApi.class)
        .orElseThrow(() -> new IllegalArgumentException("not containerd's socket: " + address));
    link = server.connect(RpcError.of(RpcCode.UNAVAILABLE, TRANSPORT_CLOSING));
  }

  private static GoError connectionError(GoError dialError) {
    return GoError.of("connection error: desc = " + GoText.quote("transport: error while dialing: "
        + dialError.text()));
  }

  /**
   * A call; its stage fails with an {@link RpcError}, as the gRPC client returns it (ctr's code turns most of them
   * into native errors with {@link #toNative}).
   */
  <T> CompletionStage<T> call(Function<ContainerdApi, CompletionStage<T>> call) {
    if (closed) {
      return CompletableFuture.failedFuture(RpcError.of(RpcCode.CANCELLED, "context canceled"));
    }
    if (deadline != null && !node.scheduler().now().isBefore(deadline)) {
      return CompletableFuture.failedFuture(deadlineExceeded());
    }
    if (link == null || link.isClosed()) {
      // TODO: gRPC would wait for its reconnect to a socket that is gone; here the call fails at once
      try {
        connect();
      } catch (GoError e) {
        return CompletableFuture.failedFuture(RpcError.of(RpcCode.UNAVAILABLE, connectionError(e).text()));
      }
    }
    ContainerdApi service = api;
    CompletionStage<T> answer = link.call(() -> call.apply(service));
    if (deadline == null) {
      return answer;
    }
    return Timeouts.within(node.scheduler(), answer, Duration.between(node.scheduler().now(), deadline),
        CtrClient::deadlineExceeded);
  }

  private static RpcError deadlineExceeded() {
    return RpcError.of(RpcCode.DEADLINE_EXCEEDED, "context deadline exceeded");
  }

  /** What ctr's process exit does to the connection. */
  void close() {
    closed = true;
    if (link != null) {
      link.close();
    }
  }

  /** {@code errdefs.FromGRPC}: a status becomes a native error of its class; any other error stays as it is. */
  static GoError toNative(Throwable t) {
    GoError e = GoError.from(t);
    return e instanceof RpcError ? ((RpcError) e).toNative() : e;
  }
}
