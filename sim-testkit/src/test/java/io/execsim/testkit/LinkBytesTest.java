package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.net.Link;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.LinkBytes.Data;
import io.execsim.testkit.LinkBytes.GoAway;
import io.execsim.testkit.LinkBytes.Ping;
import io.execsim.testkit.LinkBytes.RstStream;
import io.execsim.testkit.LinkBytes.Spdy;
import io.execsim.testkit.LinkBytes.SynReply;
import io.execsim.testkit.LinkBytes.SynStream;
import io.execsim.testkit.LinkBytes.Ws;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes on every link of one exec, for each protocol kubectl speaks, decoded from outside the simulation with
 * Netty's own codecs ({@link LinkBytes}) and checked against what the real protocol requires: the upgrade heads, the
 * SPDY streams with their order, replies, data, half-closes and the closing GOAWAY, and the WebSocket v5 channels
 * with the readiness message, the close signal, the status and the close frame.
 */
class LinkBytesTest {
  private static final byte[] STDIN = "in\n".getBytes(StandardCharsets.UTF_8);
  private static final String SCRIPT = "echo out; echo err >&2; exit 3";
  private static final ExecCommand EXEC = ExecCommand.of("default", "web", "sh", "-c", SCRIPT).withStdin(STDIN);
  private static final String EXEC_PATH = "/api/v1/namespaces/default/pods/web/exec";
  /** The CRI server's status: Go's json.Marshal escapes {@code >} and {@code &} for HTML. */
  private static final String CRI_STATUS = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated "
      + "with non-zero exit code: error executing command [sh -c echo out; echo err \\u003e\\u00262; exit 3], exit "
      + "code 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
      + "\"message\":\"3\"}]}}";
  /** The translator's status: its own message around client-go's exit error. */
  private static final String TRANSLATOR_STATUS = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command "
      + "terminated with non-zero exit code: command terminated with exit code 3\",\"reason\":\"NonZeroExitCode\","
      + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
  private static final String KUBELET_TARGET = "/exec/default/web/app?command=sh&command=-c&command=echo+out%3B+echo+"
      + "err+%3E%262%3B+exit+3&error=1&input=1&output=1";
  private static final List<String> SPDY_OFFER = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
      "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int CLOSE_SIGNAL = 255;

  private final SimCluster cluster = SimCluster.builder().seed(5).captureLinks()
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
      .build();

  @AfterEach
  void nothingLeftBehind() {
    // the closes under way reach the other ends
    ((DeterministicScheduler) cluster.scheduler()).advance(Duration.ZERO);
    assertThat(cluster.leftovers()).isEmpty();
    assertThat(cluster.network().openLinks()).extracting(Link::name).isEmpty();
    cluster.close();
  }

  @Test
  void webSocketExecSpeaksV5ToTheApiserver() {
    KubectlResult r = cluster.exec(KubectlOptions.latest(), EXEC);
    assertThat(r.exitCode()).isEqualTo(3);
    Link l1 = execLink();

    HttpRequest request = LinkBytes.requestHead(l1.clientBytes());
    assertThat(request.method()).isEqualTo(HttpMethod.GET);
    assertKubectlQuery(request);
    HttpHeaders h = request.headers();
    assertThat(h.get("Upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(h.get("Connection")).containsIgnoringCase("upgrade");
    assertThat(h.getAll("Sec-WebSocket-Protocol")).containsExactly("v5.channel.k8s.io");
    assertThat(h.get("Sec-WebSocket-Version")).isEqualTo("13");
    String key = h.get("Sec-WebSocket-Key");
    assertThat(Base64.getDecoder().decode(key)).hasSize(16);

    HttpResponse response = LinkBytes.responseHead(l1.serverBytes());
    assertThat(response.status().code()).isEqualTo(101);
    assertThat(response.headers().get("Upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(response.headers().get("Connection")).containsIgnoringCase("upgrade");
    assertThat(response.headers().get("Sec-WebSocket-Accept")).isEqualTo(acceptOf(key));
    assertThat(response.headers().getAll("Sec-WebSocket-Protocol")).containsExactly("v5.channel.k8s.io");

    assertWebSocketExec(l1, STDIN, "out\n", "err\n", TRANSLATOR_STATUS);
  }

  @Test
  void webSocketExecIsTranslatedToSpdyTowardTheKubeletAndPassedThroughToTheStreamingServer() {
    cluster.exec(KubectlOptions.latest(), EXEC);
    Link l2 = onlyLink("apiserver->10.0.0.11:10250#");
    Link l3 = onlyLink("kubelet@node-1->127.0.0.1:10010#");

    HttpRequest toKubelet = LinkBytes.requestHead(l2.clientBytes());
    assertThat(toKubelet.method()).isEqualTo(HttpMethod.POST);
    assertThat(toKubelet.uri()).isEqualTo(KUBELET_TARGET);
    assertSpdyUpgradeRequest(toKubelet);
    HttpRequest toStreaming = LinkBytes.requestHead(l3.clientBytes());
    assertThat(toStreaming.method()).isEqualTo(HttpMethod.POST);
    assertThat(toStreaming.uri()).matches("/exec/[A-Za-z0-9_-]{8}");
    assertSpdyUpgradeRequest(toStreaming);
    assertSpdyUpgraded(LinkBytes.responseHead(l2.serverBytes()));
    assertSpdyUpgraded(LinkBytes.responseHead(l3.serverBytes()));

    // the kubelet copies bytes after the upgrade; it neither reads nor rewrites frames
    assertThat(LinkBytes.afterHead(l3.clientBytes())).isEqualTo(LinkBytes.afterHead(l2.clientBytes()));
    assertThat(LinkBytes.afterHead(l3.serverBytes())).isEqualTo(LinkBytes.afterHead(l2.serverBytes()));
    assertSpdyExec(l3, STDIN, "out\n", "err\n", CRI_STATUS);
  }

  @Test
  void spdyExecCarriesTheSameFramesOnEveryHop() {
    KubectlResult r = cluster.exec(KubectlOptions.latest().withoutWebSockets(), EXEC);
    assertThat(r.stdoutText()).isEqualTo("out\n");
    Link l1 = execLink();
    Link l2 = onlyLink("apiserver->10.0.0.11:10250#");
    Link l3 = onlyLink("kubelet@node-1->127.0.0.1:10010#");

    HttpRequest request = LinkBytes.requestHead(l1.clientBytes());
    assertThat(request.method()).isEqualTo(HttpMethod.POST);
    assertKubectlQuery(request);
    assertSpdyUpgradeRequest(request);
    assertThat(LinkBytes.requestHead(l2.clientBytes()).uri()).isEqualTo(KUBELET_TARGET);
    assertSpdyUpgradeRequest(LinkBytes.requestHead(l2.clientBytes()));
    assertThat(LinkBytes.requestHead(l3.clientBytes()).uri()).matches("/exec/[A-Za-z0-9_-]{8}");
    assertSpdyUpgradeRequest(LinkBytes.requestHead(l3.clientBytes()));
    // the CRI server's choice reaches kubectl through both proxies
    for (Link l : List.of(l1, l2, l3)) {
      assertSpdyUpgraded(LinkBytes.responseHead(l.serverBytes()));
    }

    for (Link l : List.of(l2, l3)) {
      assertThat(LinkBytes.afterHead(l.clientBytes())).as(l.name()).isEqualTo(LinkBytes.afterHead(l1.clientBytes()));
      assertThat(LinkBytes.afterHead(l.serverBytes())).as(l.name()).isEqualTo(LinkBytes.afterHead(l1.serverBytes()));
    }
    assertSpdyExec(l1, STDIN, "out\n", "err\n", CRI_STATUS);
  }

  @Test
  void stdinLargerThanOneFrameGoesThroughCatWholeOverWebSocket() {
    byte[] input = pattern(100_000);

    KubectlResult r = cluster.exec(KubectlOptions.latest(), ExecCommand.of("default", "web", "cat").withStdin(input));

    assertThat(r.exitCode()).isZero();
    assertWebSocketExec(execLink(), input, new String(input, StandardCharsets.ISO_8859_1), "", SUCCESS);
  }

  @Test
  void stdinLargerThanOneFrameGoesThroughCatWholeOverSpdy() {
    byte[] input = pattern(100_000);

    KubectlResult r = cluster.exec(KubectlOptions.latest().withoutWebSockets(),
        ExecCommand.of("default", "web", "cat").withStdin(input));

    assertThat(r.exitCode()).isZero();
    assertSpdyExec(onlyLink("kubelet@node-1->127.0.0.1:10010#"), input,
        new String(input, StandardCharsets.ISO_8859_1), "", SUCCESS);
  }

  @Test
  void spdyClientPingsEveryFiveSecondsAndTheStreamingServerEchoes() {
    cluster.exec(KubectlOptions.latest().withoutWebSockets(), ExecCommand.of("default", "web", "sleep", "12"));
    Link l1 = execLink();

    List<Spdy> up = LinkBytes.spdyFrames(LinkBytes.afterHead(l1.clientBytes()));
    List<Spdy> down = LinkBytes.spdyFrames(LinkBytes.afterHead(l1.serverBytes()));

    // spdystream: the client's pings take odd ids; the peer answers each with the same id
    assertThat(up).filteredOn(Ping.class::isInstance).containsExactly(new Ping(1), new Ping(3));
    assertThat(down).filteredOn(Ping.class::isInstance).containsExactly(new Ping(1), new Ping(3));
  }

  @Test
  void webSocketClientAndTranslatorBothKeepTheirConnectionsAlive() {
    cluster.exec(KubectlOptions.latest(), ExecCommand.of("default", "web", "sleep", "12"));
    Link l1 = execLink();
    Link l3 = onlyLink("kubelet@node-1->127.0.0.1:10010#");

    // client-go pings over WebSocket every 5 s and x/net answers each ping with a pong
    List<Ws> up = LinkBytes.webSocketFrames(LinkBytes.afterHead(l1.clientBytes()), true);
    List<Ws> down = LinkBytes.webSocketFrames(LinkBytes.afterHead(l1.serverBytes()), false);
    assertThat(up).filteredOn(f -> f.type() == Ws.Type.PING).hasSize(2);
    assertThat(down).filteredOn(f -> f.type() == Ws.Type.PONG).hasSize(2);
    // the translator's own SPDY client pings the kubelet, through to the streaming server
    assertThat(LinkBytes.spdyFrames(LinkBytes.afterHead(l3.clientBytes()))).filteredOn(Ping.class::isInstance)
        .containsExactly(new Ping(1), new Ping(3));
    assertThat(LinkBytes.spdyFrames(LinkBytes.afterHead(l3.serverBytes()))).filteredOn(Ping.class::isInstance)
        .containsExactly(new Ping(1), new Ping(3));
  }

  /** The v5 frames of a non-TTY exec with stdin, stdout and stderr, in both directions of {@code link}. */
  private static void assertWebSocketExec(Link link, byte[] stdin, String stdout, String stderr, String status) {
    // client frames are masked (the decoder insists), binary, and end stdin with the close signal [255, 0]
    List<Ws> up = LinkBytes.webSocketFrames(LinkBytes.afterHead(link.clientBytes()), true);
    List<Ws> upData = up.stream().filter(f -> f.type() != Ws.Type.CLOSE).toList();
    assertThat(upData).allSatisfy(f -> {
      assertThat(f.type()).isEqualTo(Ws.Type.BINARY);
      assertThat(f.fin()).isTrue();
    });
    assertThat(upData).last().satisfies(f -> assertThat(f.payload()).containsExactly(CLOSE_SIGNAL, 0));
    assertThat(channel(upData.subList(0, upData.size() - 1), 0)).isEqualTo(stdin);
    // client-go writes one message per read of stdin into its 32 KiB buffer
    assertThat(upData.subList(0, upData.size() - 1)).allSatisfy(f -> {
      assertThat(f.channel()).isZero();
      assertThat(f.data().length).isLessThanOrEqualTo(32 * 1024);
    });

    // server frames: readiness first, output on 1 and 2, one status on 3, close 1000 last
    List<Ws> down = LinkBytes.webSocketFrames(LinkBytes.afterHead(link.serverBytes()), false);
    assertThat(down.get(0).type()).isEqualTo(Ws.Type.BINARY);
    assertThat(down.get(0).payload()).as("readiness: an empty message on stdout").containsExactly(1);
    assertThat(down).last().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1000));
    List<Ws> messages = down.subList(1, down.size() - 1);
    assertThat(messages).allSatisfy(f -> {
      assertThat(f.type()).isEqualTo(Ws.Type.BINARY);
      assertThat(f.channel()).isBetween(1, 3);
    });
    assertThat(channel(messages, 1)).asString(StandardCharsets.ISO_8859_1).isEqualTo(stdout);
    assertThat(channel(messages, 2)).asString(StandardCharsets.ISO_8859_1).isEqualTo(stderr);
    assertThat(messages).last().satisfies(f -> {
      assertThat(f.channel()).isEqualTo(3);
      assertThat(f.data()).asString(StandardCharsets.UTF_8).isEqualTo(status);
    });
    assertThat(messages.stream().filter(f -> f.channel() == 3)).hasSize(1);
  }

  /** The frames of a non-TTY exec with stdin, stdout and stderr, in both directions of {@code link}. */
  private static void assertSpdyExec(Link link, byte[] stdin, String stdout, String stderr, String status) {
    List<Spdy> up = LinkBytes.spdyFrames(LinkBytes.afterHead(link.clientBytes()));
    List<Spdy> down = LinkBytes.spdyFrames(LinkBytes.afterHead(link.serverBytes()));

    // client-go opens error, stdin, stdout, stderr, in that order, on odd ids; header names travel in lower case
    List<SynStream> opened = up.stream().filter(SynStream.class::isInstance).map(SynStream.class::cast).toList();
    assertThat(opened).extracting(SynStream::streamId).containsExactly(1, 3, 5, 7);
    assertThat(opened).allSatisfy(s -> {
      assertThat(s.headers()).containsOnlyKeys("streamtype");
      assertThat(s.last()).isFalse();
      assertThat(s.unidirectional()).isFalse();
    });
    assertThat(opened).extracting(s -> s.headers().get("streamtype"))
        .containsExactly(List.of("error"), List.of("stdin"), List.of("stdout"), List.of("stderr"));

    // stdin: its data, then an empty DATA with FIN, then nothing more on the stream from the client
    List<Data> sent = data(up, 3);
    assertThat(sent).isNotEmpty();
    assertThat(concat(sent)).isEqualTo(stdin);
    assertThat(sent.subList(0, sent.size() - 1)).noneMatch(Data::last);
    assertThat(sent).last().satisfies(d -> assertThat(d.last()).isTrue());
    assertThat(lastIndexOn(up, 3)).isEqualTo(up.indexOf(sent.get(sent.size() - 1)));
    // client-go copies stdin with io.Copy: one DATA frame per read of its 32 KiB buffer
    assertThat(sent).allSatisfy(d -> assertThat(d.data().length).isLessThanOrEqualTo(32 * 1024));
    assertThat(data(up, 1)).isEmpty();
    assertThat(data(up, 5)).isEmpty();
    assertThat(data(up, 7)).isEmpty();

    // the server replies to each stream before any DATA on it and opens none of its own
    assertThat(down).noneMatch(SynStream.class::isInstance);
    for (int id : new int[] {1, 3, 5, 7}) {
      List<Integer> replies = IntStream.range(0, down.size())
          .filter(i -> down.get(i) instanceof SynReply s && s.streamId() == id).boxed().toList();
      assertThat(replies).as("SYN_REPLY for stream %d", id).hasSize(1);
      assertThat(data(down, id)).allSatisfy(d -> assertThat(down.indexOf(d)).isGreaterThan(replies.get(0)));
    }
    assertThat(concat(data(down, 5))).asString(StandardCharsets.ISO_8859_1).isEqualTo(stdout);
    assertThat(concat(data(down, 7))).asString(StandardCharsets.ISO_8859_1).isEqualTo(stderr);
    assertThat(concat(data(down, 1))).asString(StandardCharsets.UTF_8).isEqualTo(status);
    assertThat(data(down, 3)).isEmpty();
    for (int id : new int[] {1, 5, 7}) {
      assertEndsAfterItsData(down, id);
    }

    // GOAWAY(OK) comes once, last, after every DATA, FIN and reset, naming the client's last stream
    assertThat(down).last().isEqualTo(new GoAway(7, 0));
    assertThat(down.stream().filter(GoAway.class::isInstance)).hasSize(1);
    // the CRI server never pings of its own accord; it only echoes the client's pings
    List<Integer> clientPings = up.stream().filter(Ping.class::isInstance).map(p -> ((Ping) p).id()).toList();
    assertThat(down.stream().filter(Ping.class::isInstance).map(p -> ((Ping) p).id()))
        .allSatisfy(id -> assertThat(clientPings).contains(id));
  }

  /** The stream's last frame ends it, with FIN or a reset, and follows all of its DATA. */
  private static void assertEndsAfterItsData(List<Spdy> frames, int id) {
    int last = lastIndexOn(frames, id);
    Spdy end = frames.get(last);
    assertThat(end instanceof RstStream || end instanceof Data d && d.last())
        .as("stream %d ends with FIN or RST_STREAM, not %s", id, end).isTrue();
    assertThat(frames.subList(0, last)).noneMatch(f -> f instanceof Data d && d.streamId() == id && d.last());
    if (end instanceof RstStream rst) {
      assertThat(rst.status()).as("RST_STREAM status of stream %d: CANCEL", id).isEqualTo(5);
    }
  }

  /** Bytes of every value in an order that no framing mistake keeps intact. */
  private static byte[] pattern(int size) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (i * 31 + i / 251);
    }
    return out;
  }

  private static int lastIndexOn(List<Spdy> frames, int id) {
    for (int i = frames.size() - 1; i >= 0; i--) {
      Spdy f = frames.get(i);
      if (f instanceof Data d && d.streamId() == id || f instanceof RstStream r && r.streamId() == id
          || f instanceof SynReply s && s.streamId() == id || f instanceof SynStream s2 && s2.streamId() == id) {
        return i;
      }
    }
    throw new AssertionError("Expecting frames on stream " + id + " but found none in " + frames);
  }

  private static List<Data> data(List<Spdy> frames, int id) {
    return frames.stream().filter(f -> f instanceof Data d && d.streamId() == id).map(Data.class::cast).toList();
  }

  private static byte[] concat(List<Data> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(d -> out.writeBytes(d.data()));
    return out.toByteArray();
  }

  private static byte[] channel(List<Ws> messages, int channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    messages.stream().filter(f -> f.channel() == channel).forEach(f -> out.writeBytes(f.data()));
    return out.toByteArray();
  }

  private static void assertKubectlQuery(HttpRequest request) {
    QueryStringDecoder q = new QueryStringDecoder(request.uri());
    assertThat(q.path()).isEqualTo(EXEC_PATH);
    assertThat(q.parameters()).containsExactly(
        Map.entry("command", List.of("sh", "-c", SCRIPT)),
        Map.entry("container", List.of("app")),
        Map.entry("stderr", List.of("true")),
        Map.entry("stdin", List.of("true")),
        Map.entry("stdout", List.of("true")));
  }

  private static void assertSpdyUpgradeRequest(HttpRequest request) {
    HttpHeaders h = request.headers();
    assertThat(h.get("Connection")).isEqualToIgnoringCase("Upgrade");
    assertThat(h.get("Upgrade")).isEqualToIgnoringCase("SPDY/3.1");
    assertThat(h.getAll("X-Stream-Protocol-Version")).containsExactlyElementsOf(SPDY_OFFER);
  }

  private static void assertSpdyUpgraded(HttpResponse response) {
    assertThat(response.status().code()).isEqualTo(101);
    assertThat(response.headers().get("Connection")).isEqualToIgnoringCase("Upgrade");
    assertThat(response.headers().get("Upgrade")).isEqualToIgnoringCase("SPDY/3.1");
    assertThat(response.headers().getAll("X-Stream-Protocol-Version")).containsExactly("v4.channel.k8s.io");
  }

  /** The kubectl connection that carried the exec, not the one that read the pod. */
  private Link execLink() {
    List<Link> execs = cluster.network().links().stream()
        .filter(l -> l.name().startsWith("kubectl->apiserver:6443#"))
        .filter(l -> LinkBytes.requestHead(l.clientBytes()).uri().startsWith(EXEC_PATH + "?"))
        .toList();
    assertThat(execs).hasSize(1);
    return execs.get(0);
  }

  private Link onlyLink(String namePrefix) {
    List<Link> found = cluster.network().links().stream().filter(l -> l.name().startsWith(namePrefix)).toList();
    assertThat(found).as("links named %s...", namePrefix).hasSize(1);
    return found.get(0);
  }

  /** RFC 6455 §4.2.2: base64 of the SHA-1 of the key and the protocol's GUID. */
  private static String acceptOf(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + WEBSOCKET_GUID)
          .getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
