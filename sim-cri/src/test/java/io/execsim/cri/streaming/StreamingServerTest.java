package io.execsim.cri.streaming;

import io.execsim.core.testing.NettyLeaks;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.error.GoError;
import io.execsim.core.net.Network;
import io.execsim.core.node.Node;
import io.execsim.core.process.TerminalSize;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.execsim.core.trace.TraceEvent;
import io.execsim.cri.ContainerdConfig;
import io.execsim.cri.streaming.RawClient.Answer;
import io.execsim.cri.streaming.RawClient.Frame;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingServerTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private static final ExecRequest EXIT_3 = new ExecRequest("c1", List.of("sh", "-c", "exit 3"), false, false, true,
      true);
  private static final int CANCEL = SpdyStreamStatus.CANCEL.code();
  private static final String SPDY_404_HEADERS = "[Content-Type: text/plain; charset=utf-8, "
      + "X-Content-Type-Options: nosniff, Date: Thu, 01 Jan 2026 00:00:00 GMT, Content-Length: 19]";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final Node node = new Node("node-1", scheduler, new SimRandom(1), new Trace(scheduler));

  @AfterEach
  void noBufferLeaks() {
    scheduler.runUntilIdle();
    NettyLeaks.assertNoneLeaked();
  }

  private StubRuntime start(StubRuntime.Behaviour behaviour) {
    network.setCapture(true);
    StubRuntime runtime = new StubRuntime(behaviour);
    new StreamingServer(node, network, ContainerdConfig.defaults(10010), runtime, LegacyWebSocketServer.refusing())
        .start();
    return runtime;
  }

  private RawClient client() {
    return new RawClient(scheduler, network, "127.0.0.1:10010");
  }

  private static Map<String, List<String>> spdyHeaders(String... protocols) {
    return Map.of("Connection", List.of("Upgrade"), "Upgrade", List.of("SPDY/3.1"),
        "X-Stream-Protocol-Version", List.of(protocols));
  }

  private static SpdySynStreamFrame open(int id, String type) {
    SpdySynStreamFrame f = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    f.headers().add("streamtype", type);
    return f;
  }

  private static SpdyDataFrame data(int id, String text, boolean fin) {
    SpdyDataFrame f = new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    f.setLast(fin);
    return f;
  }

  /** Upgrades with {@code protocol} and opens error, stdout and stderr. */
  private RawClient upgradedWithOutputs(StubRuntime runtime, String protocol) {
    RawClient c = client();
    Answer a = c.request(HttpMethod.POST, "/exec/" + runtime.issue(EXIT_3), spdyHeaders(protocol));
    assertThat(a.status()).isEqualTo(101);
    c.send(open(1, "error"));
    c.send(open(3, "stdout"));
    c.send(open(5, "stderr"));
    scheduler.await(c.closed());
    return c;
  }

  @Test
  void upgradeAnswersWithTheChosenProtocolAndNoBody() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));

    Answer a = client().request(HttpMethod.POST, "/exec/" + runtime.issue(EXIT_3),
        spdyHeaders("v5.channel.k8s.io", "v4.channel.k8s.io, v3.channel.k8s.io"));

    assertThat(a.status()).isEqualTo(101);
    assertThat(new String(network.links().get(0).serverBytes(), StandardCharsets.US_ASCII)).isEqualTo(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n");
  }

  @Test
  void exitZeroSendsOutputThenFinsThenStatusThenResetAndGoAwayLast() {
    StubRuntime runtime = start(StubRuntime.prints("hello\n", "", 0));

    RawClient c = upgradedWithOutputs(runtime, "v4.channel.k8s.io");

    assertThat(c.frames()).containsExactly(
        Frame.reply(1, "error"), Frame.reply(3, "stdout"), Frame.reply(5, "stderr"),
        Frame.data(3, "hello\n", false), Frame.data(3, "", true), Frame.data(5, "", true),
        Frame.data(1, "{\"metadata\":{},\"status\":\"Success\"}", false),
        Frame.rst(1, CANCEL), Frame.goAway(5));
    assertThat(runtime.ran()).containsExactly(List.of("sh", "-c", "exit 3"));
    assertThat(node.trace().events(Hop.STREAMING)).extracting(TraceEvent::phase).containsExactly(
        Phase.STREAMING_UPGRADE, Phase.STREAMS_NEGOTIATED, Phase.EXIT_STATUS_SENT, Phase.STREAMS_CLOSED);
  }

  @Test
  void exitThreeWritesTheNonZeroExitCodeStatus() {
    StubRuntime runtime = start(StubRuntime.prints("", "oops\n", 3));

    RawClient c = upgradedWithOutputs(runtime, "v4.channel.k8s.io");

    assertThat(c.frames()).contains(Frame.data(1, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command "
        + "terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3\",\"reason\":"
        + "\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}", false));
  }

  @Test
  void failedExecWritesAnInternalErrorStatus() {
    String err = "failed to exec in container: failed to start exec \"e1\": OCI runtime exec failed: exec failed: "
        + "unable to start container process: exec: \"foo\": executable file not found in $PATH: unknown";
    StubRuntime runtime = start(StubRuntime.fails(GoError.of(err)));

    RawClient c = upgradedWithOutputs(runtime, "v4.channel.k8s.io");

    assertThat(c.frames()).contains(Frame.data(1, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal "
        + "error occurred: error executing command in container: " + err.replace("\"", "\\\"") + "\",\"reason\":"
        + "\"InternalError\",\"details\":{\"causes\":[{\"message\":\"error executing command in container: "
        + err.replace("\"", "\\\"") + "\"}]},\"code\":500}", false));
  }

  @Test
  void olderProtocolsWriteOnlyAFailureAsText() {
    StubRuntime failing = start(StubRuntime.prints("", "", 3));

    RawClient c = upgradedWithOutputs(failing, "v3.channel.k8s.io");

    assertThat(c.frames()).filteredOn(f -> f.id() == 1 && f.type().equals("DATA")).containsExactly(
        Frame.data(1, "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit "
            + "code 3", false));
  }

  @Test
  void usedTokenGetsGoNotFound() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));
    String token = runtime.issue(EXIT_3);
    client().request(HttpMethod.POST, "/exec/" + token, spdyHeaders("v4.channel.k8s.io"));

    Answer again = client().request(HttpMethod.POST, "/exec/" + token, spdyHeaders("v4.channel.k8s.io"));

    assertThat(again.status()).isEqualTo(404);
    assertThat(again.headers()).hasToString(SPDY_404_HEADERS);
    assertThat(again.body()).isEqualTo("404 page not found\n");
  }

  @Test
  void plainGetIsRefusedForWantOfAVersionAndUsesUpTheToken() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));
    String token = runtime.issue(EXIT_3);

    Answer a = client().request(HttpMethod.GET, "/exec/" + token, Map.of());
    Answer again = client().request(HttpMethod.GET, "/exec/" + token, Map.of());

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).isEqualTo("unable to upgrade: X-Stream-Protocol-Version is required\n");
    assertThat(again.status()).isEqualTo(404);
  }

  @Test
  void noCommonVersionIsForbiddenWithTheAcceptedVersionsAndTheTextTwice() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));

    Answer a = client().request(HttpMethod.POST, "/exec/" + runtime.issue(EXIT_3), spdyHeaders("v5.channel.k8s.io"));

    String text = "unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io], server "
        + "accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]\n";
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.headers()).containsExactly("Content-Type: text/plain; charset=utf-8",
        "X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io",
        "X-Accepted-Stream-Protocol-Versions: v3.channel.k8s.io",
        "X-Accepted-Stream-Protocol-Versions: v2.channel.k8s.io",
        "X-Accepted-Stream-Protocol-Versions: channel.k8s.io",
        "X-Content-Type-Options: nosniff", "Date: Thu, 01 Jan 2026 00:00:00 GMT",
        "Content-Length: " + 2 * text.length());
    assertThat(a.body()).isEqualTo(text + text);
  }

  @Test
  void versionWithoutUpgradeHeadersIsABadRequestQuotingTheHeaders() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));

    Answer a = client().request(HttpMethod.POST, "/exec/" + runtime.issue(EXIT_3), Map.of("Content-Length",
        List.of("0"), "x-stream-protocol-version", List.of("v4.channel.k8s.io")));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.headers()).contains("X-Stream-Protocol-Version: v4.channel.k8s.io");
    assertThat(a.body()).isEqualTo("unable to upgrade: missing upgrade headers in request: http.Header{"
        + "\"Content-Length\":[]string{\"0\"}, \"X-Stream-Protocol-Version\":[]string{\"v4.channel.k8s.io\"}}\n");
  }

  @Test
  void routesOutsideTheStreamingApiGetGoRestfulAnswers() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));
    String token = runtime.issue(EXIT_3);

    Answer unknown = client().request(HttpMethod.GET, "/exec/" + token + "/more", Map.of());
    Answer method = client().request(HttpMethod.PUT, "/exec/" + token, Map.of());
    Answer attach = client().request(HttpMethod.POST, "/attach/" + token, spdyHeaders("v4.channel.k8s.io"));
    Answer exec = client().request(HttpMethod.POST, "/exec/" + token, spdyHeaders("v4.channel.k8s.io"));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("404: Page Not Found");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.headers()).startsWith("Allow: GET, POST");
    assertThat(method.body()).isEqualTo("405: Method Not Allowed");
    assertThat(attach.body()).isEqualTo("404 page not found\n");
    assertThat(exec.status()).as("the attach request used the exec token up").isEqualTo(404);
  }

  @Test
  void webSocketRequestIsForbiddenWithNothingElseAndClosed() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));
    RawClient c = client();

    Answer a = c.request(HttpMethod.GET, "/exec/" + runtime.issue(EXIT_3), Map.of("Connection", List.of("Upgrade"),
        "Upgrade", List.of("websocket"), "Sec-WebSocket-Protocol", List.of("v5.channel.k8s.io"),
        "Sec-WebSocket-Version", List.of("13"), "Sec-WebSocket-Key", List.of("dGhlIHNhbXBsZSBub25jZQ==")));

    assertThat(a.status()).isEqualTo(403);
    assertThat(new String(network.links().get(0).serverBytes(), StandardCharsets.US_ASCII))
        .isEqualTo("HTTP/1.1 403 Forbidden\r\n\r\n");
    scheduler.runUntilIdle();
    assertThat(c.isOpen()).isFalse();
    assertThat(runtime.ran()).isEmpty();
  }

  @Test
  void missingStreamsEndTheWaitAfter30SecondsAndTheConnectionAtTheIdleTimeout() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));
    RawClient c = client();
    c.request(HttpMethod.POST, "/exec/" + runtime.issue(EXIT_3), spdyHeaders("v4.channel.k8s.io"));
    c.send(open(1, "error"));
    c.send(open(3, "stdout"));

    scheduler.await(c.closed());

    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(30).plusHours(4));
    // spdystream's idle timer resets what is left and goes away
    assertThat(c.frames()).containsExactly(Frame.reply(1, "error"), Frame.reply(3, "stdout"), Frame.rst(1, CANCEL),
        Frame.rst(3, CANCEL), Frame.goAway(3));
    assertThat(runtime.ran()).isEmpty();
    assertThat(node.trace().events(Hop.STREAMING)).extracting(TraceEvent::at, TraceEvent::detail)
        .contains(org.assertj.core.groups.Tuple.tuple(Duration.ofSeconds(30),
            "timed out waiting for client to create streams"));
  }

  @Test
  void aClientThatHangsUpAfterTheWaitLeavesNothingBehind() {
    StubRuntime runtime = start(StubRuntime.prints("", "", 0));
    RawClient c = client();
    c.request(HttpMethod.POST, "/exec/" + runtime.issue(EXIT_3), spdyHeaders("v4.channel.k8s.io"));
    c.send(open(1, "error"));
    scheduler.advance(Duration.ofSeconds(31));
    assertThat(c.isOpen()).isTrue();

    c.close();
    scheduler.runUntilIdle();

    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(31));
    assertThat(runtime.ran()).isEmpty();
  }

  @Test
  void terminalSizesReachTheRuntimeUntilOneDoesNotFit() {
    ExecRequest tty = new ExecRequest("c1", List.of("sh"), true, true, true, false);
    StubRuntime runtime = start(StubRuntime.cat());
    RawClient c = client();
    c.request(HttpMethod.POST, "/exec/" + runtime.issue(tty), spdyHeaders("v4.channel.k8s.io"));
    c.send(open(1, "error"));
    c.send(open(3, "stdin"));
    c.send(open(5, "stdout"));
    c.send(open(7, "resize"));

    c.send(data(7, "{\"Width\":80,\"Hei", false));
    c.send(data(7, "ght\":24}\n{\"width\":100,\"HEIGHT\":50}\n{\"Width\":-1}\n{\"Width\":1,\"Height\":1}\n", false));
    c.send(data(3, "typed\n", true));
    scheduler.await(c.closed());

    assertThat(runtime.resizes()).containsExactly(new TerminalSize(80, 24), new TerminalSize(100, 50));
    assertThat(c.frames()).contains(Frame.data(5, "typed\n", false), Frame.rst(7, CANCEL));
  }
}
