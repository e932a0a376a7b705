package io.execsim.core.websocket;

import static io.execsim.core.websocket.WireFrameAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSource;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.RemoteCommandStatus;
import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketServerStreamsTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final RequestedStreams ALL = new RequestedStreams(true, true, true, false);
  private static final byte[] SUCCESS_JSON = bytes("{\"metadata\":{},\"status\":\"Success\"}");

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 16));
  private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

  @AfterEach
  void releaseEverything() {
    channel.finishAndReleaseAll();
  }

  @Test
  void upgradeSelectsV5AndSendsReadinessOnStdout() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    assertThat(streams.protocol()).isEqualTo(ChannelProtocol.V5);
    assertThat(head()).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
        .contains("sec-websocket-protocol: v5.channel.k8s.io\r\n");
    assertThat(frames()).singleElement().satisfies(f -> assertThat(f).isBinaryMessage(1, new byte[0]));
  }

  @Test
  void readinessGoesToTheLowestWrittenChannel() {
    upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io",
        new RequestedStreams(true, false, true, false));
    assertThat(frames()).singleElement().satisfies(f -> assertThat(f).isBinaryMessage(2, new byte[0]));

    EmbeddedChannel other = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 16));
    FullHttpRequest request = request("v5.channel.k8s.io");
    new WebSocketStreamServer(scheduler, WebSocketServerConfig.apiServerTranslator())
        .upgrade(other, request, new RequestedStreams(true, false, false, false));
    request.release();
    List<WireFrame> sent = WireFrame.fromServer(WireFrame.afterHead(WireFrame.drain(other)));
    other.finishAndReleaseAll();
    assertThat(sent).singleElement().satisfies(f -> assertThat(f).isBinaryMessage(3, new byte[0]));
  }

  @Test
  void clientOrderDecidesAmongAcceptedProtocols() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.legacyStreamingServer(),
        "v5.channel.k8s.io, v4.base64.channel.k8s.io, v4.channel.k8s.io", ALL);

    assertThat(streams.protocol()).isEqualTo(ChannelProtocol.V4_BASE64);
    assertThat(head()).contains("sec-websocket-protocol: v4.base64.channel.k8s.io\r\n");
  }

  @Test
  void stdoutAndStderrWritesAreMessagesOnTheirChannels() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    streams.stdout().orElseThrow().write(bytes("out"));
    streams.stderr().orElseThrow().write(bytes("err"));
    streams.writeStatus(RemoteCommandStatus.success());

    List<WireFrame> sent = frames();
    assertThat(sent).hasSize(4);
    assertThat(sent.get(1)).isBinaryMessage(1, "out");
    assertThat(sent.get(2)).isBinaryMessage(2, "err");
    assertThat(sent.get(3)).isBinaryMessage(3, SUCCESS_JSON);
  }

  @Test
  void stdinMessagesArriveAndTheCloseSignalEndsStdin() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);
    ByteSource stdin = streams.stdin().orElseThrow();

    receive(WireFrame.clientMessage(0, bytes("hi\n")));
    receive(WireFrame.clientMessage(255, new byte[] {0}));

    assertThat(read(stdin)).contains("hi\n");
    assertThat(read(stdin)).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void closeSignalOfWrongLengthEndsTheReadLoop() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    receive(WireFrame.clientMessage(255, new byte[] {0, 0}));

    assertThat(read(streams.stdin().orElseThrow())).isEmpty();
    assertThat(frames()).last().satisfies(f -> assertThat(f).isClose(1000));
    assertThat(channel.isOpen()).isFalse();
    assertThat(streams.closed()).isCompleted();
  }

  @Test
  void closeSignalForAChannelOutOfRangeEndsTheReadLoop() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    receive(WireFrame.clientMessage(255, new byte[] {5}));

    assertThat(read(streams.stdin().orElseThrow())).isEmpty();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closeSignalMeansNothingBeforeV5() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.legacyStreamingServer(), "v4.channel.k8s.io",
        ALL);

    // under v4, 255 is a channel number out of range: the message is dropped
    receive(WireFrame.clientMessage(255, new byte[] {0}));
    receive(WireFrame.clientMessage(0, bytes("x")));

    assertThat(read(streams.stdin().orElseThrow())).contains("x");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void messagesForUnknownOrWriteOnlyChannelsAreDropped() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    receive(WireFrame.clientMessage(7, bytes("lost")));
    receive(WireFrame.clientMessage(1, bytes("lost")));
    receive(WireFrame.clientBytes(new BinaryWebSocketFrame(Unpooled.EMPTY_BUFFER)));
    receive(WireFrame.clientMessage(0, bytes("kept")));

    assertThat(read(streams.stdin().orElseThrow())).contains("kept");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void textFramesAndFragmentsAreMessagesOfTheirOwnAsXNetReadsThem() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    // x/net does not look at the frame type, and returns each fragment as a message
    receive(WireFrame.clientBytes(new TextWebSocketFrame("\0ab")));
    receive(WireFrame.clientBytes(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {0, 'c'}))));
    receive(WireFrame.clientBytes(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {7, 'd'}))));
    receive(WireFrame.clientMessage(255, new byte[] {0}));

    assertThat(readAll(streams.stdin().orElseThrow())).isEqualTo("abc");
  }

  @Test
  void base64VariantsUseADigitAndPaddedBase64() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.legacyStreamingServer(),
        "v4.base64.channel.k8s.io", ALL);

    streams.stdout().orElseThrow().write(bytes("hi"));
    streams.writeStatus(RemoteCommandStatus.success());
    receive(WireFrame.clientBytes(new TextWebSocketFrame("0aGk=")));
    receive(WireFrame.clientBytes(new TextWebSocketFrame("0aGk")));
    receive(WireFrame.clientBytes(new TextWebSocketFrame("0!!!!")));
    receive(WireFrame.clientBytes(new TextWebSocketFrame("0Cg==")));

    List<WireFrame> sent = frames();
    assertThat(sent.get(0)).isText("1");
    assertThat(sent.get(1)).isText("1aGk=");
    assertThat(sent.get(2)).isText("3" + Base64.getEncoder().encodeToString(SUCCESS_JSON));
    // the unpadded and the invalid message are dropped, the loop goes on
    assertThat(read(streams.stdin().orElseThrow())).contains("hi\n");
  }

  @Test
  void v1WritesTheFailureMessageAndNothingOnSuccess() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.legacyStreamingServer(), "channel.k8s.io", ALL);

    streams.writeStatus(RemoteCommandStatus.success());
    streams.writeStatus(RemoteCommandStatus.internalError("container not found (\"c\")"));

    List<WireFrame> sent = frames();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).isBinaryMessage(3, "Internal error occurred: container not found (\"c\")");
  }

  @Test
  void noProtocolHeaderIsServedAsV1WithAnEmptyProtocolEcho() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.legacyStreamingServer(), null, ALL);

    assertThat(streams.protocol()).isEqualTo(ChannelProtocol.NONE);
    assertThat(head()).contains("Sec-WebSocket-Protocol: \r\n");
    assertThat(frames()).singleElement().satisfies(f -> assertThat(f).isBinaryMessage(1, new byte[0]));
  }

  @Test
  void resizeMessagesBecomeSizesWithKeysInAnyCase() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io",
        new RequestedStreams(true, true, false, true));

    receive(WireFrame.clientMessage(4, bytes("{\"Width\":80,\"Height\":24}\n")));
    receive(WireFrame.clientMessage(4, bytes("{\"width\":100,")));
    receive(WireFrame.clientMessage(4, bytes("\"HEIGHT\":50}\nnull")));
    receive(WireFrame.clientMessage(255, new byte[] {4}));

    assertThat(nextSize(streams)).contains(new TerminalSize(80, 24));
    assertThat(nextSize(streams)).contains(new TerminalSize(100, 50));
    assertThat(nextSize(streams)).contains(new TerminalSize(0, 0));
    assertThat(nextSize(streams)).isEmpty();
  }

  @Test
  void badResizeJsonEndsTheSizesAndTheNextResizeMessageBlocksTheReadLoop() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io",
        new RequestedStreams(true, true, false, true));
    ByteSource stdin = streams.stdin().orElseThrow();

    receive(WireFrame.clientMessage(4, bytes("{\"Width\":70000,\"Height\":1}")));
    receive(WireFrame.clientMessage(0, bytes("before")));
    receive(WireFrame.clientMessage(4, bytes("{\"Width\":1,\"Height\":1}")));
    receive(WireFrame.clientMessage(0, bytes("after")));
    receive(WireFrame.clientMessage(255, new byte[] {0}));

    assertThat(nextSize(streams)).isEmpty();
    assertThat(read(stdin)).contains("before");
    CompletableFuture<Optional<byte[]>> blocked = stdin.read(100).toCompletableFuture();
    scheduler.advance(Duration.ofHours(5));
    assertThat(blocked).isNotDone();

    streams.close();
    assertThat(scheduler.await(blocked)).isEmpty();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void pingIsAnsweredAndAPongEndsTheReadLoop() {
    upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    receive(WireFrame.clientBytes(new PingWebSocketFrame(Unpooled.wrappedBuffer(bytes("p")))));
    assertThat(channel.isOpen()).isTrue();
    receive(WireFrame.clientBytes(new PongWebSocketFrame()));

    List<WireFrame> sent = frames();
    assertThat(sent.get(1)).is(WireFrame.Kind.PONG);
    assertThat(sent.get(1).text()).isEqualTo("p");
    assertThat(sent.get(2)).isClose(1000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void unmaskedFrameGetsAProtocolErrorThenTheNormalClose() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    receive(new byte[] {(byte) 0x82, 0x02, 0x00, 'x'});

    List<WireFrame> sent = frames();
    assertThat(sent.get(1)).isClose(1002);
    assertThat(sent.get(2)).isClose(1000);
    assertThat(read(streams.stdin().orElseThrow())).isEmpty();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void clientCloseEndsStdinAndClosesTheConnection() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    receive(WireFrame.clientBytes(new CloseWebSocketFrame(1000, "")));

    assertThat(read(streams.stdin().orElseThrow())).isEmpty();
    assertThat(frames()).last().satisfies(f -> assertThat(f).isClose(1000));
    assertThatThrownBy(() -> scheduler.await(streams.stdout().orElseThrow().write(bytes("late"))))
        .isInstanceOf(GoError.class)
        .hasMessageStartingWith("write tcp ")
        .hasMessageEndingWith(": use of closed network connection");
  }

  @Test
  void idleDeadlineClosesWithoutACloseFrame() {
    WebSocketServerStreams streams = upgrade(WebSocketServerConfig.apiServerTranslator(), "v5.channel.k8s.io", ALL);

    scheduler.advance(Duration.ofHours(3));
    receive(WireFrame.clientMessage(0, bytes("x")));
    scheduler.advance(Duration.ofHours(3).plusMinutes(59));
    assertThat(channel.isOpen()).isTrue();
    scheduler.advance(Duration.ofMinutes(2));

    assertThat(channel.isOpen()).isFalse();
    assertThat(frames()).singleElement().satisfies(f -> assertThat(f).isBinaryMessage(1, new byte[0]));
    assertThat(streams.closed()).isCompleted();
  }

  @Test
  void unsupportedProtocolIsForbiddenWithAnEmptyBody() {
    FullHttpRequest request = request("v5.channel.k8s.io");
    Optional<WebSocketServerStreams> streams = new WebSocketStreamServer(scheduler,
        WebSocketServerConfig.legacyStreamingServer()).upgrade(channel, request, ALL);
    request.release();

    assertThat(streams).isEmpty();
    assertThat(new String(sent(), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 403 Forbidden\r\n\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void upgradeWithoutProtocolAnswers101WithoutTheHeader() {
    WebSocketServerConfig config = new WebSocketServerConfig(List.of(ChannelProtocol.V4),
        ProtocolMismatch.UPGRADE_WITHOUT_PROTOCOL, WebSocketServerConfig.DEFAULT_IDLE_TIMEOUT);

    WebSocketServerStreams streams = upgrade(config, "v5.channel.k8s.io", ALL);

    assertThat(streams.protocol()).isEqualTo(ChannelProtocol.NONE);
    assertThat(head()).startsWith("HTTP/1.1 101 ").doesNotContainIgnoringCase("sec-websocket-protocol");
  }

  @Test
  void badVersionAndMethodAreRefusedAsXNetRefusesThem() {
    FullHttpRequest request = request("v5.channel.k8s.io");
    request.headers().set("Sec-WebSocket-Version", "12");
    new WebSocketStreamServer(scheduler, WebSocketServerConfig.apiServerTranslator()).upgrade(channel, request, ALL);
    request.release();

    assertThat(new String(sent(), StandardCharsets.ISO_8859_1)).isEqualTo(
        "HTTP/1.1 400 Bad Request\r\nSec-WebSocket-Version: 13\r\n\r\nmissing or bad WebSocket Version");

    EmbeddedChannel other = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 16));
    FullHttpRequest post = request("v5.channel.k8s.io");
    post.setMethod(HttpMethod.POST);
    new WebSocketStreamServer(scheduler, WebSocketServerConfig.apiServerTranslator()).upgrade(other, post, ALL);
    post.release();
    assertThat(new String(WireFrame.drain(other), StandardCharsets.ISO_8859_1))
        .isEqualTo("HTTP/1.1 405 Method Not Allowed\r\n\r\nbad method");
    other.finishAndReleaseAll();
  }

  // ---- helpers

  private WebSocketServerStreams upgrade(WebSocketServerConfig config, @Nullable String protocols,
      RequestedStreams requested) {
    FullHttpRequest request = request(protocols);
    try {
      return new WebSocketStreamServer(scheduler, config).upgrade(channel, request, requested).orElseThrow();
    } finally {
      request.release();
    }
  }

  private static FullHttpRequest request(@Nullable String protocols) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "/api/v1/namespaces/ns/pods/p/exec?command=cat&stdin=true&stdout=true");
    r.headers().set("Host", "apiserver:6443")
        .set("Upgrade", "websocket")
        .set("Connection", "Upgrade")
        .set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .set("Sec-WebSocket-Version", "13");
    if (protocols != null) {
      r.headers().set("Sec-WebSocket-Protocol", protocols);
    }
    return r;
  }

  private void receive(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    scheduler.advance(Duration.ZERO);
  }

  private byte[] sent() {
    wire.writeBytes(WireFrame.drain(channel));
    return wire.toByteArray();
  }

  private String head() {
    return WireFrame.head(sent());
  }

  private List<WireFrame> frames() {
    return WireFrame.fromServer(WireFrame.afterHead(sent()));
  }

  private Optional<String> read(ByteSource source) {
    return scheduler.await(source.read(1024)).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  private String readAll(ByteSource source) {
    StringBuilder b = new StringBuilder();
    for (Optional<String> s = read(source); s.isPresent(); s = read(source)) {
      b.append(s.get());
    }
    return b.toString();
  }

  private Optional<TerminalSize> nextSize(WebSocketServerStreams streams) {
    return scheduler.await(streams.resize().next());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
