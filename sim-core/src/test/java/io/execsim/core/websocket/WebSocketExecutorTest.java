package io.execsim.core.websocket;

import static io.execsim.core.websocket.WireFrameAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.net.Link;
import io.execsim.core.net.Network;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.ExitCodeError;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.remotecommand.StatusError;
import io.execsim.core.remotecommand.StreamOptions;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.remotecommand.UpgradeFailureError;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WebSocketExecutorTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final String ADDRESS = "apiserver:6443";
  private static final String PATH = "/api/v1/namespaces/ns/pods/p/exec?command=cat&stderr=true&stdin=true&stdout=true";
  private static final RemoteCommandStatus SUCCESS = RemoteCommandStatus.success();
  private static final RemoteCommandStatus EXIT_3 =
      RemoteCommandStatus.nonZeroExitCode(3, "command terminated with exit code 3");

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final List<TerminalSize> sizesSeen = new ArrayList<>();

  WebSocketExecutorTest() {
    network.setCapture(true);
  }

  @Test
  void stdinIsEchoedAndTheExitCodeComesFromTheStatus() {
    serveEcho(WebSocketServerConfig.apiServerTranslator(), Optional.of(EXIT_3));
    Streams.Collector stdout = new Streams.Collector(1 << 20);
    Streams.Collector stderr = new Streams.Collector(1 << 20);

    ExitCodeError e = catchThrowableOfType(ExitCodeError.class, () -> scheduler.await(executor(Map.of())
        .stream(options(Streams.of(bytes("hello\n")), stdout, stderr))));

    assertThat(e.code()).isEqualTo(3);
    assertThat(e).hasMessage("command terminated with exit code 3");
    assertThat(new String(stdout.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    assertThat(new String(stderr.bytes(), StandardCharsets.UTF_8)).isEqualTo("done\n");
    assertThat(stdout.isClosed()).isTrue();
    assertThat(stderr.isClosed()).isTrue();
  }

  @Test
  void bytesOnTheLinkAreWhatClientGoAndTheTranslatorSend() {
    serveEcho(WebSocketServerConfig.apiServerTranslator(), Optional.of(SUCCESS));

    scheduler.await(executor(Map.of("Authorization", List.of("Bearer t0ken")))
        .stream(options(Streams.of(bytes("hi")), new Streams.Collector(100), new Streams.Collector(100))));

    Link link = network.links().get(0);
    String request = WireFrame.head(link.clientBytes());
    assertThat(request).startsWith("GET " + PATH + " HTTP/1.1\r\n")
        .containsIgnoringCase("upgrade: websocket\r\n")
        .containsIgnoringCase("connection: upgrade\r\n")
        .containsIgnoringCase("sec-websocket-version: 13\r\n")
        .containsIgnoringCase("sec-websocket-protocol: v5.channel.k8s.io\r\n")
        .containsIgnoringCase("host: apiserver:6443\r\n")
        .contains("Authorization: Bearer t0ken\r\n")
        .doesNotContainIgnoringCase("origin:");
    List<WireFrame> fromClient = WireFrame.fromClient(WireFrame.afterHead(link.clientBytes()));
    assertThat(fromClient).hasSize(3);
    assertThat(fromClient.get(0)).isBinaryMessage(0, "hi");
    assertThat(fromClient.get(1)).isBinaryMessage(255, new byte[] {0});
    assertThat(fromClient.get(2)).isClose(1000);
    List<WireFrame> fromServer = WireFrame.fromServer(WireFrame.afterHead(link.serverBytes()));
    assertThat(fromServer).hasSize(5);
    assertThat(fromServer.get(0)).isBinaryMessage(1, new byte[0]);
    assertThat(fromServer.get(1)).isBinaryMessage(1, "hi");
    assertThat(fromServer.get(2)).isBinaryMessage(2, "done\n");
    assertThat(fromServer.get(3)).isBinaryMessage(3, "{\"metadata\":{},\"status\":\"Success\"}");
    assertThat(fromServer.get(4)).isClose(1000);
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void theSameSeedGivesTheSameBytes() {
    serveEcho(WebSocketServerConfig.apiServerTranslator(), Optional.of(SUCCESS));

    for (int run = 0; run < 2; run++) {
      scheduler.await(executor(Map.of())
          .stream(options(Streams.of(bytes("same")), new Streams.Collector(100), new Streams.Collector(100))));
    }

    List<Link> links = network.links();
    assertThat(links.get(1).clientBytes()).isEqualTo(links.get(0).clientBytes());
    assertThat(links.get(1).serverBytes()).isEqualTo(links.get(0).serverBytes());
  }

  @Test
  void anEmptyErrorStreamIsSuccess() {
    serveEcho(WebSocketServerConfig.apiServerTranslator(), Optional.empty());

    scheduler.await(executor(Map.of())
        .stream(options(Streams.of(bytes("x")), new Streams.Collector(100), new Streams.Collector(100))));
  }

  @Test
  void anEndWithoutACloseFrameFailsReadingTheErrorStream() {
    serveRaw(ch -> ch.close());

    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(100), new Streams.Collector(100)))))
        .isInstanceOf(GoError.class)
        .isNotInstanceOf(UpgradeFailureError.class)
        .hasMessage("error reading from error stream: next reader: websocket: close 1006 (abnormal closure): "
            + "unexpected EOF");
  }

  @Test
  void aCloseCodeOtherThanNormalFailsReadingTheErrorStream() {
    serveRaw(ch -> ch.writeAndFlush(new CloseWebSocketFrame(1011, "boom")));

    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(100), new Streams.Collector(100)))))
        .hasMessage("error reading from error stream: next reader: websocket: close 1011 (internal server error): "
            + "boom");
  }

  @Test
  void aTextMessageOrAMessageWithoutChannelFailsEveryStream() {
    serveRaw(ch -> ch.writeAndFlush(new TextWebSocketFrame("1hi")));

    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(100), new Streams.Collector(100)))))
        .hasMessage("error reading from error stream: unexpected message type: 1");

    serveRawOn("kubelet:10250", ch -> ch.writeAndFlush(new BinaryWebSocketFrame()));
    assertThatThrownBy(() -> scheduler.await(new WebSocketExecutor(network, "kubectl",
        new ExecTarget("kubelet:10250", "kubelet:10250", "/exec", Map.of()), new SimRandom(1))
        .stream(options(Streams.empty(), new Streams.Collector(100), new Streams.Collector(100)))))
        .hasMessage("error reading from error stream: read stream id: EOF");
  }

  @Test
  void aServerThatClosesBeforeAnsweringIsAnUnexpectedEof() {
    listen(ch -> new SimpleChannelInboundHandler<FullHttpRequest>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        ctx.close();
      }
    });

    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(1), new Streams.Collector(1)))))
        .isExactlyInstanceOf(GoError.class)
        .hasMessage("unexpected EOF");
  }

  @Test
  void aSilentServerTimesOutAfterSixtyOneSeconds() {
    serveRaw(ch -> { });

    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(100), new Streams.Collector(100)))))
        .hasMessage("error reading from error stream: next reader: read tcp kubectl->apiserver:6443: i/o timeout");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(61));
    assertThat(WireFrame.fromClient(WireFrame.afterHead(network.links().get(0).clientBytes())))
        .filteredOn(f -> f.kind() == WireFrame.Kind.PING).hasSize(12);
  }

  @Test
  void pongsKeepALongExecAlive() {
    serveEcho(WebSocketServerConfig.apiServerTranslator(), Optional.of(SUCCESS));
    Pipe stdin = new Pipe(scheduler);
    ByteSink typing = stdin.openWriter();

    CompletableFuture<Void> exec = executor(Map.of()).stream(options(stdin.openReader(),
        new Streams.Collector(100), new Streams.Collector(100))).toCompletableFuture();
    scheduler.advance(Duration.ofMinutes(10));
    assertThat(exec).isNotDone();

    typing.close();
    scheduler.await(exec);
    assertThat(WireFrame.fromServer(WireFrame.afterHead(network.links().get(0).serverBytes())))
        .filteredOn(f -> f.kind() == WireFrame.Kind.PONG).hasSize(120);
  }

  @Test
  void resizesGoOutAsJsonOnChannelFour() {
    serveResize();
    ArrayDeque<TerminalSize> sizes = new ArrayDeque<>(List.of(new TerminalSize(80, 24), new TerminalSize(120, 40)));
    TerminalSizeQueue queue = () -> CompletableFuture.completedFuture(Optional.ofNullable(sizes.poll()));

    scheduler.await(executor(Map.of()).stream(new StreamOptions(Optional.empty(),
        Optional.of(new Streams.Collector(100)), Optional.empty(), true, Optional.of(queue))));

    assertThat(sizesSeen).containsExactly(new TerminalSize(80, 24), new TerminalSize(120, 40));
    List<WireFrame> fromClient = WireFrame.fromClient(WireFrame.afterHead(network.links().get(0).clientBytes()));
    assertThat(fromClient.get(0)).isBinaryMessage(4, "{\"Width\":80,\"Height\":24}\n");
  }

  @Test
  void aLegacyServerRefusesV5WithForbidden() {
    serveEcho(WebSocketServerConfig.legacyStreamingServer(), Optional.of(SUCCESS));

    UpgradeFailureError e = catchThrowableOfType(UpgradeFailureError.class, () -> scheduler.await(
        executor(Map.of()).stream(options(Streams.empty(), new Streams.Collector(1), new Streams.Collector(1)))));

    assertThat(e).hasMessage("unable to upgrade streaming request: websocket: bad handshake (403 Forbidden)");
  }

  @Test
  void anUpgradeWithoutTheProtocolIsAnUpgradeFailure() {
    serveEcho(new WebSocketServerConfig(List.of(ChannelProtocol.V4), ProtocolMismatch.UPGRADE_WITHOUT_PROTOCOL,
        Duration.ofHours(4)), Optional.of(SUCCESS));

    UpgradeFailureError e = catchThrowableOfType(UpgradeFailureError.class, () -> scheduler.await(
        executor(Map.of()).stream(options(Streams.empty(), new Streams.Collector(1), new Streams.Collector(1)))));

    assertThat(e).hasMessage("unable to upgrade streaming request: invalid protocol, expected one of "
        + "[\"v5.channel.k8s.io\"], got \"\"");
    scheduler.runUntilIdle();
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void aStatusBodyBecomesAStatusError() {
    serveHttp(HttpResponseStatus.FORBIDDEN, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"pods \\\"p\\\" is forbidden: User \\\"u\\\" cannot create resource "
        + "\\\"pods/exec\\\"\",\"reason\":\"Forbidden\",\"code\":403}\n");

    UpgradeFailureError e = catchThrowableOfType(UpgradeFailureError.class, () -> scheduler.await(
        executor(Map.of()).stream(options(Streams.empty(), new Streams.Collector(1), new Streams.Collector(1)))));

    StatusError status = e.find(StatusError.class).orElseThrow();
    assertThat(status.reason()).isEqualTo("Forbidden");
    assertThat(status.code()).isEqualTo(403);
    assertThat(e).hasMessage("unable to upgrade streaming request: pods \"p\" is forbidden: User \"u\" cannot "
        + "create resource \"pods/exec\"");
  }

  @Test
  void anotherBodyIsAppendedToTheBadHandshake() {
    serveHttp(HttpResponseStatus.NOT_FOUND, "404 page not found\n");

    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(1), new Streams.Collector(1)))))
        .isInstanceOf(UpgradeFailureError.class)
        .hasMessage("unable to upgrade streaming request: websocket: bad handshake (404 Not Found): "
            + "404 page not found");
  }

  @Test
  void dialFailuresAndDuplicateHeadersAreNoUpgradeFailures() {
    assertThatThrownBy(() -> scheduler.await(executor(Map.of()).stream(options(Streams.empty(),
        new Streams.Collector(1), new Streams.Collector(1)))))
        .isExactlyInstanceOf(GoError.class)
        .hasMessage("dial tcp apiserver:6443: connect: connection refused");
    assertThatThrownBy(() -> scheduler.await(executor(Map.of("sec-websocket-key", List.of("x"))).stream(
        options(Streams.empty(), new Streams.Collector(1), new Streams.Collector(1)))))
        .isExactlyInstanceOf(GoError.class)
        .hasMessage("websocket: duplicate header not allowed: Sec-Websocket-Key");
  }

  // ---- servers

  /** The server streams with an exec that copies stdin to stdout, writes "done" on stderr, then the status. */
  private void serveEcho(WebSocketServerConfig config, Optional<RemoteCommandStatus> status) {
    WebSocketStreamServer server = new WebSocketStreamServer(scheduler, config);
    listen(ch -> new SimpleChannelInboundHandler<FullHttpRequest>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        server.upgrade(ctx.channel(), req, new RequestedStreams(true, true, true, false)).ifPresent(s ->
            Streams.copy(s.stdin().orElseThrow(), s.stdout().orElseThrow(), 32 * 1024)
                .thenCompose(n -> s.stderr().orElseThrow().write(bytes("done\n")))
                .thenCompose(v -> status.<CompletionStage<Void>>map(s::writeStatus)
                    .orElse(CompletableFuture.completedFuture(null)))
                .whenComplete((v, e) -> s.close()));
      }
    });
  }

  /** The server streams with an exec that takes two sizes from the resize queue. */
  private void serveResize() {
    WebSocketStreamServer server = new WebSocketStreamServer(scheduler, WebSocketServerConfig.apiServerTranslator());
    listen(ch -> new SimpleChannelInboundHandler<FullHttpRequest>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        server.upgrade(ctx.channel(), req, new RequestedStreams(false, true, false, true)).ifPresent(s ->
            s.resize().next().thenAccept(a -> a.ifPresent(sizesSeen::add))
                .thenCompose(v -> s.resize().next()).thenAccept(b -> b.ifPresent(sizesSeen::add))
                .thenCompose(v -> s.writeStatus(SUCCESS))
                .whenComplete((v, e) -> s.close()));
      }
    });
  }

  /** A bare v5 server made with Netty's handshaker, then {@code then} with the channel. */
  private void serveRaw(Consumer<Channel> then) {
    serveRawOn(ADDRESS, then);
  }

  private void serveRawOn(String address, Consumer<Channel> then) {
    network.listen(address, ch -> ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
        new SimpleChannelInboundHandler<FullHttpRequest>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        WebSocketServerHandshaker hs =
            new WebSocketServerHandshakerFactory("ws://" + ADDRESS, "v5.channel.k8s.io", false).newHandshaker(req);
        hs.handshake(ctx.channel(), req);
        then.accept(ctx.channel());
      }
    }));
  }

  /** An HTTP server that answers every request with {@code status} and {@code body}. */
  private void serveHttp(HttpResponseStatus status, String body) {
    listen(ch -> new SimpleChannelInboundHandler<FullHttpRequest>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        ctx.writeAndFlush(res);
      }
    });
  }

  private void listen(Function<Channel, SimpleChannelInboundHandler<FullHttpRequest>> handler) {
    network.listen(ADDRESS, ch -> ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
        handler.apply(ch)));
  }

  // ---- client side

  private WebSocketExecutor executor(Map<String, List<String>> headers) {
    return new WebSocketExecutor(network, "kubectl", new ExecTarget(ADDRESS, ADDRESS, PATH, headers),
        new SimRandom(42));
  }

  private static StreamOptions options(ByteSource stdin, ByteSink stdout, ByteSink stderr) {
    return new StreamOptions(Optional.of(stdin), Optional.of(stdout), Optional.of(stderr), false, Optional.empty());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
