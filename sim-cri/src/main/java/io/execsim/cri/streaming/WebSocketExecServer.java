package io.execsim.cri.streaming;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.node.Node;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.websocket.RequestedStreams;
import io.execsim.core.websocket.WebSocketServerConfig;
import io.execsim.core.websocket.WebSocketServerStreams;
import io.execsim.core.websocket.WebSocketStreamServer;
import io.execsim.cri.ExecStreams;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRI streaming library's legacy WebSocket server: it upgrades with {@code channel.k8s.io},
 * {@code base64.channel.k8s.io}, {@code v4.channel.k8s.io} or {@code v4.base64.channel.k8s.io} (refusing a
 * {@code v5.channel.k8s.io}-only offer with a bare 403), runs the exec with the client's channels, writes the status
 * as the protocol wants it, and closes.
 */
public final class WebSocketExecServer implements LegacyWebSocketServer {
  private static final Logger log = LoggerFactory.getLogger(WebSocketExecServer.class);

  private final Node node;
  private final StreamRuntime runtime;
  private final WebSocketStreamServer server;

  /** The legacy server of the streaming server of {@code node}, running execs through {@code runtime}. */
  public WebSocketExecServer(Node node, StreamRuntime runtime) {
    this.node = node;
    this.runtime = runtime;
    this.server = new WebSocketStreamServer(node.scheduler(), WebSocketServerConfig.legacyStreamingServer());
  }

  @Override
  public void serve(ChannelHandlerContext ctx, FullHttpRequest request, ExecRequest exec) {
    Optional<WebSocketServerStreams> upgraded = server.upgrade(ctx.channel(), request,
        new RequestedStreams(exec.stdin(), exec.stdout(), exec.stderr(), exec.tty()));
    if (upgraded.isEmpty()) {
      node.trace().record(Hop.STREAMING, Phase.STREAMING_UPGRADE, "websocket refused");
      return;
    }
    WebSocketServerStreams client = upgraded.get();
    node.trace().record(Hop.STREAMING, Phase.STREAMING_UPGRADE, "websocket " + client.protocol().subprotocol());
    CompletionStage<Void> run;
    try {
      run = runtime.exec(exec.containerId(), exec.cmd(), new ExecStreams(client.stdin(), client.stdout(),
          client.stderr(), exec.tty(), exec.tty() ? Optional.of(client.resize()) : Optional.empty()));
    } catch (RuntimeException e) {
      run = CompletableFuture.failedFuture(e);
    }
    run.whenComplete((v, e) -> {
      RemoteCommandStatus status;
      try {
        status = ExecOutcome.status(e);
      } catch (IllegalStateException bug) {
        log.warn("websocket exec: {}", bug.getMessage(), bug.getCause());
        client.close();
        return;
      }
      node.trace().record(Hop.STREAMING, Phase.EXIT_STATUS_SENT, status.status() + " " + status.message());
      client.writeStatus(status).whenComplete((ok, err) -> {
        client.close();
        node.trace().record(Hop.STREAMING, Phase.STREAMS_CLOSED, "websocket");
      });
    });
  }
}
