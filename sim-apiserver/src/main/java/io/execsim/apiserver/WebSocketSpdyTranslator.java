package io.execsim.apiserver;

import io.execsim.core.error.GoError;
import io.execsim.core.net.Network;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.ExitCodeError;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.remotecommand.SpdyExecutor;
import io.execsim.core.remotecommand.StatusError;
import io.execsim.core.remotecommand.StreamOptions;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.websocket.RequestedStreams;
import io.execsim.core.websocket.WebSocketServerConfig;
import io.execsim.core.websocket.WebSocketServerStreams;
import io.execsim.core.websocket.WebSocketStreamServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apiserver's stream translator: it upgrades the client to WebSocket {@code v5.channel.k8s.io}, reaches the
 * kubelet as a SPDY client offering v5 to v1, copies the streams across, and ends with one status on the error
 * channel: Success, the kubelet's status as it came, NonZeroExitCode for an exit code, and InternalError for
 * anything else. Since the client's upgrade succeeded first, every node-side failure arrives as a status, never as
 * an upgrade failure, so kubectl does not fall back to SPDY.
 */
public final class WebSocketSpdyTranslator implements StreamTranslator {
  private static final Logger log = LoggerFactory.getLogger(WebSocketSpdyTranslator.class);

  private final Network network;
  private final Trace trace;
  private final WebSocketStreamServer server;

  /** A translator whose SPDY side dials on {@code network}. */
  public WebSocketSpdyTranslator(Network network, Trace trace, SimRandom random) {
    this.network = network;
    this.trace = trace;
    this.server = new WebSocketStreamServer(network.scheduler(), WebSocketServerConfig.apiServerTranslator());
  }

  @Override
  public void translate(ChannelHandlerContext ctx, FullHttpRequest request, ExecTarget kubelet,
      ExecOptions options) {
    Optional<WebSocketServerStreams> upgraded = server.upgrade(ctx.channel(), request,
        new RequestedStreams(options.stdin(), options.stdout(), options.stderr(), options.tty()));
    if (upgraded.isEmpty()) {
      return;
    }
    WebSocketServerStreams client = upgraded.get();
    trace.record(Hop.APISERVER, Phase.CLIENT_UPGRADE, "websocket " + client.protocol().subprotocol()
        + " translated to SPDY toward " + kubelet.address());
    SpdyExecutor toKubelet = new SpdyExecutor(network, "apiserver", "https", kubelet,
        StreamProtocol.KUBECTL_SPDY_OFFER);
    StreamOptions streams = new StreamOptions(client.stdin(), client.stdout(), client.stderr(), options.tty(),
        options.tty() ? Optional.of(client.resize()) : Optional.empty());
    toKubelet.stream(streams).whenComplete((ok, e) -> {
      RemoteCommandStatus status = e == null ? RemoteCommandStatus.success() : statusOf(GoError.from(e));
      trace.record(Hop.APISERVER, Phase.EXIT_STATUS_SENT, status.status() + " " + status.message());
      client.writeStatus(status).whenComplete((v, err) -> client.close());
    });
  }

  /** The translator's mapping of the SPDY executor's result to the status it writes. */
  static RemoteCommandStatus statusOf(GoError e) {
    if (e instanceof StatusError) {
      return ((StatusError) e).status();
    }
    if (e instanceof ExitCodeError) {
      return RemoteCommandStatus.nonZeroExitCode(((ExitCodeError) e).code(), e.text());
    }
    log.debug("exec through the translator failed: {}", e.text());
    return RemoteCommandStatus.internalError(e.text());
  }
}
