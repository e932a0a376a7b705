package io.execsim.kubelet;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.cri.ExecSyncRequest;
import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.core.cri.RuntimeService;
import io.execsim.core.error.GoError;
import io.execsim.core.error.GoText;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.fault.LinkName;
import io.execsim.core.net.NodeHooks;
import io.execsim.core.node.Node;
import io.execsim.core.rpc.CallLink;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.trace.Hop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The kubelet's CRI client ({@code remoteRuntimeService} of {@code cri-client}): a gRPC connection to the runtime's
 * unix socket, made when the first call needs it and again after it was lost, as gRPC reconnects. Calls fail as
 * gRPC fails them: {@code Unavailable} with the dial error while nothing serves the socket, {@code Unavailable:
 * error reading from server: EOF} when the runtime goes away during a call, {@code Unavailable: error reading from
 * server: read unix @->SOCKET: read: connection reset by peer} when the connection is reset during one, and with the
 * runtime's own status otherwise. The deadline of each call is the kubelet's, not this client's. Each connection is
 * announced to the node's {@link NodeHooks} before its first call.
 *
 * <p>Used on the simulation's thread.
 */
public final class RemoteRuntimeService implements RuntimeService {
  /**
   * grpc-go's text for a call in flight whose connection the server closed (the read loop met EOF); older releases
   * said {@code transport is closing}.
   */
  private static final String LOST_PEER = "error reading from server: EOF";

  private final Node node;
  private final String socket;
  private final NodeHooks hooks;
  private @Nullable CallLink link;
  private @Nullable RuntimeService service;

  /** A client of the runtime serving the unix socket {@code socket} on {@code node}, not yet connected. */
  public RemoteRuntimeService(Node node, String socket) {
    this.node = node;
    this.socket = socket;
    this.hooks = NodeHooks.of(node);
  }

  /** The path of the runtime's socket. */
  public String socket() {
    return socket;
  }

  @Override
  public CompletionStage<ExecResponse> exec(ExecRequest request) {
    return call(s -> s.exec(request));
  }

  @Override
  public CompletionStage<ExecSyncResponse> execSync(ExecSyncRequest request) {
    return call(s -> s.execSync(request));
  }

  /** The client's process is gone: its connection closes and its calls in flight fail; the runtime is not told. */
  public void disconnect() {
    CallLink l = link;
    link = null;
    service = null;
    if (l != null) {
      l.close();
    }
  }

  private <T> CompletionStage<T> call(Function<RuntimeService, CompletionStage<T>> call) {
    if (link == null || link.isClosed()) {
      try {
        connect();
      } catch (GoError e) {
        // grpc-go (1.5x and later) words a failed dial of a non-blocking client this way; a call that is not
        // wait-for-ready fails with it at once. Older releases printed "Error while dialing dial unix ..."
        return CompletableFuture.failedFuture(RpcError.of(RpcCode.UNAVAILABLE, "connection error: desc = "
            + GoText.quote("transport: Error while dialing: " + e.text())));
      }
    }
    RuntimeService s = service;
    CallLink l = link;
    if (s == null || l == null) {
      throw new IllegalStateException("connected without a service: " + socket);
    }
    return l.call(() -> call.apply(s));
  }

  private void connect() {
    CallServer<?> server = node.sockets().dial(socket);
    service = server.service(RuntimeService.class)
        .orElseThrow(() -> new IllegalArgumentException("no CRI runtime serves the socket: " + socket));
    CallLink l = server.connect(RpcError.of(RpcCode.UNAVAILABLE, LOST_PEER));
    link = l;
    // grpc-go's reader fails every stream with the read error (http2_client.go reader); a unix client socket has no
    // name of its own, which Go prints as "@" (as kubelet logs show it, bottlerocket-os/bottlerocket#2512)
    hooks.connected(LinkName.KUBELET_CONTAINERD, socket, l, Hop.KUBELET, RpcError.of(RpcCode.UNAVAILABLE,
        "error reading from server: read unix @->" + socket + ": read: connection reset by peer"));
  }
}
