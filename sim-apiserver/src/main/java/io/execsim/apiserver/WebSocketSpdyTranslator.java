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
 *
 * <p>What that makes of the kubelet's faults, inferred from {@code streamtranslator.go} ({@code ServeHTTP}) and
 * client-go's SPDY client ({@code transport/spdy} {@code Negotiate}, {@code SpdyRoundTripper.RoundTrip}):
 * <ul>
 *   <li>a kubelet that is down fails the SPDY leg's dial inside {@code http.Client.Do}, so kubectl prints
 *       {@code error: Internal error occurred: error sending request: Post "https://<node>:10250/exec/...": dial tcp
 *       <node>:10250: connect: connection refused} where the raw proxy's SPDY client sees {@code Error from server:
 *       error dialing backend: ...} (the shape of real-failures E19 against E21);</li>
 *   <li>a kubelet that closes the connection before answering gives {@code ...: unexpected EOF} the same way
 *       ({@code http.ReadResponse} turns the EOF into {@code io.ErrUnexpectedEOF});</li>
 *   <li>a kubelet refusing the upgrade (401, 403, 500 and its plain-text body) gives {@code Internal error occurred:
 *       unable to upgrade connection: <body>};</li>
 *   <li>a kubelet restarted after the upgrade ends the SPDY connection; spdystream then ends every stream with EOF,
 *       so the executor's empty error stream means success, and the translator writes Success: kubectl exits 0,
 *       as it does over SPDY (kubernetes/kubectl#1726).</li>
 * </ul>
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
    // the same dialer name as the apiserver's proxy: the connection is the apiserver process's
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
