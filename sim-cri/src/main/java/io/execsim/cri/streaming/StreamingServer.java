package io.execsim.cri.streaming;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.error.GoText;
import io.execsim.core.net.Network;
import io.execsim.core.net.SimChannel;
import io.execsim.core.node.Node;
import io.execsim.core.remotecommand.StreamProtocol;
import io.execsim.core.spdy.SpdySession;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.cri.ContainerdConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRI streaming server inside containerd ({@code k8s.io/kubernetes/pkg/kubelet/cri/streaming}): plain HTTP/1.1 on
 * {@code <stream address>:<stream port>} of the simulated network, serving {@code GET|POST /exec/{token}}. A token is
 * used up by the first request that names it, whatever happens next; an unknown, used or expired one gets
 * {@code 404 page not found}. WebSocket requests go to a {@link LegacyWebSocketServer}. SPDY requests go through the
 * {@code httpstream} handshake, accepting v4, v3, v2 and v1 (the client's order decides), and then through
 * {@link ExecConnection}: streams, the exec through the {@link StreamRuntime}, the exit status, and the close.
 *
 * <p>Every connection's pipeline runs on the simulation's thread. {@link #stop()} stops listening and leaves open
 * connections alone: hijacked connections are the handler's, not the HTTP server's, in Go as well. {@link #kill()}
 * is the end of the process the server runs in (containerd's): nothing listens and every connection drops.
 * {@link #withholdStreamsOfNextExec()} breaks the next exec connection: it is upgraded, but none of the client's
 * streams is ever replied to, so the client waits out its 30 s stream-creation timeout.
 */
public final class StreamingServer {
  /** How long the server waits for the client's streams after the upgrade ({@code DefaultStreamCreationTimeout}). */
  public static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(StreamingServer.class);
  private static final List<String> SUPPORTED_PROTOCOLS = StreamProtocol.CRI_SPDY_ACCEPT;
  private static final List<String> ENDPOINTS = List.of("exec", "attach", "portforward");
  private static final Pattern CONNECTION_UPGRADE = Pattern.compile("(^|.*,\\s*)upgrade($|\\s*,)");
  private static final int MAX_REQUEST_BODY = 1 << 20;
  private static final String HTTP = "http";
  private static final String AGGREGATOR = "http-aggregator";
  private static final String ROUTES = "routes";

  private final Node node;
  private final Network network;
  private final String address;
  private final StreamRuntime runtime;
  private final LegacyWebSocketServer webSockets;
  private final List<Channel> accepted = new ArrayList<>();
  private boolean listening;
  private boolean withholdNext;

  /**
   * A server for the node {@code node} on {@code network} at the address of {@code config}, running execs through
   * {@code runtime} (see {@link StreamRuntime#of}) and handing WebSocket requests to {@code webSockets} (see
   * {@link LegacyWebSocketServer#refusing()}).
   */
  public StreamingServer(Node node, Network network, ContainerdConfig config, StreamRuntime runtime,
      LegacyWebSocketServer webSockets) {
    this.node = node;
    this.network = network;
    this.address = config.streamAddress() + ":" + config.streamPort();
    this.runtime = runtime;
    this.webSockets = webSockets;
  }

  /** The {@code host:port} the server listens on. */
  public String address() {
    return address;
  }

  /** Starts listening. */
  public synchronized void start() {
    network.listen(address, ch -> {
      synchronized (this) {
        accepted.removeIf(c -> !c.isOpen());
        accepted.add(ch);
      }
      ch.pipeline()
          .addLast(HTTP, new HttpServerCodec())
          .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY))
          .addLast(ROUTES, new Routes());
    });
    listening = true;
    log.info("streaming server listening on {}", address);
  }

  /** Stops listening; open connections stay. */
  public synchronized void stop() {
    if (listening) {
      network.unlisten(address);
      listening = false;
    }
  }

  /**
   * The process the server runs in ends: it stops listening and every connection it accepted drops, so the kubelet's
   * proxy sees its upstream close. What the execs were doing is the runtime's to end.
   */
  public void kill() {
    List<Channel> open;
    synchronized (this) {
      stop();
      open = List.copyOf(accepted);
      accepted.clear();
      withholdNext = false;
    }
    long dropped = open.stream().filter(Channel::isOpen).count();
    node.trace().record(Hop.STREAMING, Phase.FAULT_FIRED, "streaming server gone, " + dropped
        + " connection(s) dropped");
    open.forEach(Channel::close);
  }

  /**
   * The next exec connection is upgraded but its streams are never created: no stream the client opens gets a
   * reply. The client gives up after its 30 s ({@code Timeout occurred}); the server's own 30 s wait ends in
   * {@code timed out waiting for client to create streams}. The exec's process never starts.
   */
  public synchronized void withholdStreamsOfNextExec() {
    withholdNext = true;
  }

  /** Takes back a {@link #withholdStreamsOfNextExec} that no exec has met yet. */
  public synchronized void stopWithholdingStreams() {
    withholdNext = false;
  }

  private synchronized boolean takeWithhold() {
    boolean w = withholdNext;
    withholdNext = false;
    return w;
  }

  private String label(ChannelHandlerContext ctx) {
    return ctx.channel() instanceof SimChannel sim ? sim.link().name() : ctx.channel().toString();
  }

  /** go-restful's routing of {@code /exec/{token}}, {@code /attach/{token}} and {@code /portforward/{token}}. */
  private final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (req.decoderResult().isFailure()) {
        ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; "
            + "charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request", StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      List<String> tokens = Arrays.stream(new QueryStringDecoder(req.uri()).path().split("/"))
          .filter(t -> !t.isEmpty()).toList();
      if (tokens.size() != 2 || !ENDPOINTS.contains(tokens.get(0))) {
        reply(ctx, GoHttp.restfulError(node.scheduler().now(), HttpResponseStatus.NOT_FOUND, "404: Page Not Found",
            GoHttp.headers()));
        return;
      }
      if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.POST)) {
        Map<String, List<String>> headers = GoHttp.headers();
        headers.put("Allow", List.of("GET, POST"));
        reply(ctx, GoHttp.restfulError(node.scheduler().now(), HttpResponseStatus.METHOD_NOT_ALLOWED,
            "405: Method Not Allowed", headers));
        return;
      }
      String token = tokens.get(1);
      // The cache gives the request up on the first lookup, even when it is not an exec.
      Optional<ExecRequest> exec = runtime.redeem(token);
      if (exec.isEmpty() || !tokens.get(0).equals("exec")) {
        log.debug("{}: {} {} -> 404", label(ctx), req.method(), req.uri());
        reply(ctx, GoHttp.notFound(node.scheduler().now()));
        return;
      }
      serveExec(ctx, req, token, exec.get());
    }

    private void serveExec(ChannelHandlerContext ctx, FullHttpRequest req, String token, ExecRequest exec) {
      String upgrade = req.headers().get("Upgrade", "");
      String connection = req.headers().get("Connection", "").toLowerCase(Locale.ROOT);
      if (upgrade.equalsIgnoreCase("websocket") && CONNECTION_UPGRADE.matcher(connection).matches()) {
        log.debug("{}: WebSocket request for exec token {}", label(ctx), token);
        webSockets.serve(ctx, req, exec);
        return;
      }
      Map<String, List<String>> headers = GoHttp.headers();
      List<String> offered = new ArrayList<>();
      for (String line : req.headers().getAll(StreamProtocol.PROTOCOL_HEADER)) {
        Arrays.stream(line.split(",")).map(p -> p.strip()).filter(p -> !p.isEmpty()).forEach(offered::add);
      }
      // httpstream.Handshake: a version header is required.
      if (offered.isEmpty()) {
        reply(ctx, GoHttp.error(node.scheduler().now(), HttpResponseStatus.BAD_REQUEST,
            "unable to upgrade: " + StreamProtocol.PROTOCOL_HEADER + " is required", headers));
        return;
      }
      // The first of the client's protocols that the server knows wins.
      Optional<String> chosen = offered.stream().filter(SUPPORTED_PROTOCOLS::contains).findFirst();
      if (chosen.isEmpty()) {
        headers.put(StreamProtocol.ACCEPTED_PROTOCOLS_HEADER, SUPPORTED_PROTOCOLS);
        String text = "unable to upgrade: unable to negotiate protocol: client supports " + goSlice(offered)
            + ", server accepts " + goSlice(SUPPORTED_PROTOCOLS);
        // Handshake writes the 403 and its caller writes the error once more: the body holds it twice.
        reply(ctx, GoHttp.errorBody(node.scheduler().now(), HttpResponseStatus.FORBIDDEN, text + "\n" + text + "\n",
            headers));
        return;
      }
      headers.put(StreamProtocol.PROTOCOL_HEADER, List.of(chosen.get()));
      String upgradeLower = upgrade.toLowerCase(Locale.ROOT);
      if (!connection.contains("upgrade") || !upgradeLower.contains("spdy/3.1")) {
        reply(ctx, GoHttp.error(node.scheduler().now(), HttpResponseStatus.BAD_REQUEST,
            "unable to upgrade: missing upgrade headers in request: " + GoHttp.goSyntax(req.headers()), headers));
        return;
      }
      headers.put("Connection", List.of("Upgrade"));
      headers.put("Upgrade", List.of("SPDY/3.1"));
      upgradeToSpdy(ctx, token, exec, chosen.get(), headers);
    }

    /** Writes the 101 with the HTTP codec, then swaps it for the SPDY codec in the same read. */
    private void upgradeToSpdy(ChannelHandlerContext ctx, String token, ExecRequest exec, String protocol,
        Map<String, List<String>> headers) {
      ctx.writeAndFlush(GoHttp.switchingProtocols(node.scheduler().now(), headers));
      log.debug("{}: exec token {} upgraded to SPDY/3.1, protocol {}", label(ctx), token, protocol);
      node.trace().record(Hop.STREAMING, Phase.STREAMING_UPGRADE, "token=" + token + " protocol=" + protocol
          + " container=" + exec.containerId() + " cmd=" + GoText.slice(exec.cmd()));
      ExecConnection conn = new ExecConnection(node, runtime, exec, protocol, label(ctx), takeWithhold());
      // The SPDY codec goes after the HTTP codec, so that bytes left in the HTTP decoder reach it on removal.
      ctx.pipeline().addAfter(HTTP, "spdy-codec", SpdySession.newCodec());
      ctx.pipeline().addAfter("spdy-codec", "spdy-session", conn.session().handler());
      ctx.pipeline().remove(AGGREGATOR);
      ctx.pipeline().remove(ROUTES);
      conn.awaitStreams(ctx.channel());
      ctx.pipeline().remove(HTTP);
    }

    private void reply(ChannelHandlerContext ctx, FullHttpResponse res) {
      log.debug("{}: {} {}", label(ctx), res.status().code(), res.content().toString(StandardCharsets.UTF_8)
          .strip());
      ctx.writeAndFlush(res);
    }
  }

  /** A string slice as {@code %v} prints it. */
  private static String goSlice(List<String> items) {
    return GoText.slice(items);
  }
}
