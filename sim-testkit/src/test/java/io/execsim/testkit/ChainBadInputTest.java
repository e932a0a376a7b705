package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.net.Link;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.trace.TraceEvent;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.testkit.LinkBytes.GoAway;
import io.execsim.testkit.LinkBytes.Reply;
import io.execsim.testkit.LinkBytes.Spdy;
import io.execsim.testkit.LinkBytes.Ws;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input sent as real bytes into the served chain, by the test's own client on the cluster's network: tokens
 * the streaming server does not know, a stream protocol or a WebSocket subprotocol nobody speaks, a client that
 * upgrades and then opens no streams, malformed or stray WebSocket frames, and resize messages that are not JSON.
 * Each answer is decoded with Netty's own codecs, and each test ends with nothing left behind on the node and no
 * connection open.
 */
class ChainBadInputTest {
  private static final String APISERVER = "apiserver:6443";
  private static final String STREAMING = "127.0.0.1:10010";
  private static final String EXEC_PATH = "/api/v1/namespaces/default/pods/web/exec";
  private static final String CAT_QUERY = "?command=cat&container=app&stdin=true&stdout=true";
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
  private static final List<String> CRI_ACCEPTS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io",
      "v2.channel.k8s.io", "channel.k8s.io");
  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  private final SimCluster cluster = SimCluster.builder().seed(7).captureLinks()
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
      .build();
  private final DeterministicScheduler scheduler = (DeterministicScheduler) cluster.scheduler();

  @AfterEach
  void nothingLeftBehind() {
    // the closes under way reach the other ends
    scheduler.advance(Duration.ZERO);
    assertThat(cluster.leftovers()).isEmpty();
    assertThat(cluster.network().openLinks()).extracting(Link::name).isEmpty();
    cluster.close();
  }

  @Test
  void unknownStreamingTokenIsAnswered404PageNotFound() {
    RawPeer client = RawPeer.dial(cluster, STREAMING);

    client.send(spdyUpgrade("/exec/AAAAAAAA", STREAMING, CRI_ACCEPTS));

    assertPageNotFound(LinkBytes.response(client.received()));
    client.close();
  }

  @Test
  void streamingTokenIsSpentByItsFirstRequestWhateverBecomesOfIt() {
    String token = issueToken(List.of("echo", "never"));
    RawPeer first = RawPeer.dial(cluster, STREAMING);

    // no X-Stream-Protocol-Version: the handshake refuses, and the token is gone all the same
    first.send("POST /exec/" + token + " HTTP/1.1\r\nHost: " + STREAMING + "\r\nContent-Length: 0\r\n"
        + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
    Reply refused = LinkBytes.response(first.received());
    assertThat(refused.head().status().code()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("unable to upgrade: X-Stream-Protocol-Version is required\n");
    first.close();
    RawPeer second = RawPeer.dial(cluster, STREAMING);
    second.send(spdyUpgrade("/exec/" + token, STREAMING, CRI_ACCEPTS));

    assertPageNotFound(LinkBytes.response(second.received()));
    second.close();
  }

  @Test
  void tokenOfAFinishedExecCannotBeReplayed() {
    cluster.exec(KubectlOptions.latest().withoutWebSockets(), ExecCommand.of("default", "web", "echo", "once"));
    Link l3 = cluster.network().links().stream().filter(l -> l.name().startsWith("kubelet@node-1->")).findFirst()
        .orElseThrow();
    String path = LinkBytes.requestHead(l3.clientBytes()).uri();
    RawPeer replay = RawPeer.dial(cluster, STREAMING);

    replay.send(spdyUpgrade(path, STREAMING, CRI_ACCEPTS));

    assertPageNotFound(LinkBytes.response(replay.received()));
    replay.close();
  }

  @Test
  void streamProtocolTheStreamingServerDoesNotSpeakIsRefusedWith403ThroughBothProxies() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);

    client.send(spdyUpgrade(EXEC_PATH + CAT_QUERY, APISERVER, List.of("v5.channel.k8s.io")));

    Reply r = LinkBytes.response(client.received());
    assertThat(r.head().status().code()).isEqualTo(403);
    assertThat(r.head().headers().getAll("X-Accepted-Stream-Protocol-Versions"))
        .containsExactlyElementsOf(CRI_ACCEPTS);
    // httpstream.Handshake writes the error, and its caller writes it once more
    String text = "unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io], server "
        + "accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]";
    assertThat(r.bodyText()).isEqualTo(text + "\n" + text + "\n");
    // an upgrade-aware proxy closes the connection after copying a refusal
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void webSocketSubprotocolNoServerSpeaksIsRefusedWith403() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);

    // not v5, so not the translator's: proxied to the streaming server's legacy WebSocket server, which refuses
    client.send(webSocketUpgrade(EXEC_PATH + CAT_QUERY, "v6.channel.k8s.io"));

    Reply r = LinkBytes.response(client.received());
    assertThat(r.head().status().code()).isEqualTo(403);
    assertThat(r.head().headers().contains("Sec-WebSocket-Accept")).isFalse();
    assertThat(r.body()).isEmpty();
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void clientThatNeverOpensItsStreamsIsLeftOpenUntilTheIdleTimeout() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);

    client.send(spdyUpgrade(EXEC_PATH + CAT_QUERY, APISERVER, List.of("v4.channel.k8s.io")));
    HttpResponse upgraded = LinkBytes.responseHead(client.received());
    assertThat(upgraded.status().code()).isEqualTo(101);
    Duration upgradedAt = scheduler.elapsed();
    client.advance(Duration.ofSeconds(30));
    assertThat(cluster.trace().events()).extracting(TraceEvent::detail)
        .contains("timed out waiting for client to create streams");
    // the streaming server gives up on the exec without a word and without closing what it hijacked
    Duration idle = Duration.ofHours(4);
    client.advance(idle.minusNanos(1));
    assertThat(client.isOpen()).isTrue();
    assertThat(LinkBytes.afterHead(client.received())).isEmpty();
    client.advance(Duration.ofNanos(1));

    assertThat(client.closedAt()).contains(upgradedAt.plusSeconds(30).plus(idle));
    // spdystream's idle timer: no stream to reset, only GOAWAY
    assertThat(LinkBytes.spdyFrames(LinkBytes.afterHead(client.received()))).containsExactly(new GoAway(0, 0));
    assertThat(cluster.network().openLinks()).isEmpty();
  }

  @Test
  void unmaskedClientFrameEndsTheWebSocketWithProtocolError() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);
    client.send(webSocketUpgrade(EXEC_PATH + CAT_QUERY, "v5.channel.k8s.io"));
    assertThat(LinkBytes.responseHead(client.received()).status().code()).isEqualTo(101);

    // RFC 6455 §5.1: a server closes the connection on an unmasked client frame
    client.send(unmaskedFrame(new byte[] {0, 'x'}));

    List<Ws> down = LinkBytes.webSocketFrames(LinkBytes.afterHead(client.received()), false);
    assertThat(down.get(0).payload()).as("readiness").containsExactly(1);
    // x/net answers with 1002, then its read loop ends and the connection's close sends 1000
    assertThat(down).filteredOn(f -> f.type() == Ws.Type.CLOSE).extracting(Ws::closeCode)
        .containsExactly(1002, 1000);
    assertThat(down).filteredOn(f -> f.type() == Ws.Type.BINARY).extracting(Ws::channel).doesNotContain(3);
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void messageOnAChannelThatDoesNotExistIsDropped() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);
    client.send(webSocketUpgrade(EXEC_PATH + CAT_QUERY, "v5.channel.k8s.io"));

    client.send(maskedFrame(new byte[] {0, 'a', 'b'}));
    client.send(maskedFrame(new byte[] {9, 'z', 'z'}));
    client.send(maskedFrame(new byte[] {0, 'c', 'd'}));
    client.send(maskedFrame(new byte[] {(byte) 255, 0}));

    List<Ws> down = LinkBytes.webSocketFrames(LinkBytes.afterHead(client.received()), false);
    assertThat(channelData(down, 1)).isEqualTo("abcd");
    assertThat(channelData(down, 3)).isEqualTo(SUCCESS);
    assertThat(down).last().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1000));
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void resizeMessageThatIsNotJsonEndsResizingButNotTheExec() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);
    client.send(webSocketUpgrade(EXEC_PATH + CAT_QUERY, "v5.channel.k8s.io"));

    // the translator reads channel 4 even without a terminal; the bad message ends only its JSON decoder
    client.send(maskedFrame(bytes(4, "not json\n")));
    client.send(maskedFrame(bytes(0, "ab")));
    client.send(maskedFrame(new byte[] {(byte) 255, 0}));

    List<Ws> down = LinkBytes.webSocketFrames(LinkBytes.afterHead(client.received()), false);
    assertThat(channelData(down, 1)).isEqualTo("ab");
    assertThat(channelData(down, 3)).isEqualTo(SUCCESS);
    assertThat(down).last().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1000));
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void resizeMessageThatIsNotJsonLeavesATerminalExecRunningToItsEnd() {
    RawPeer client = RawPeer.dial(cluster, APISERVER);
    client.send(webSocketUpgrade(EXEC_PATH + "?command=sh&command=-c&command=sleep+1%3B+echo+hi&container=app"
        + "&stdout=true&tty=true", "v5.channel.k8s.io"));
    assertThat(LinkBytes.responseHead(client.received()).status().code()).isEqualTo(101);

    client.send(maskedFrame(bytes(4, "{\"Width\":80,\"Height\":24}\n")));
    client.send(maskedFrame(bytes(4, "not json\n")));
    client.advance(Duration.ofSeconds(2));

    List<Ws> down = LinkBytes.webSocketFrames(LinkBytes.afterHead(client.received()), false);
    assertThat(channelData(down, 1)).contains("hi");
    assertThat(channelData(down, 3)).isEqualTo(SUCCESS);
    assertThat(down).last().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1000));
    assertThat(client.isOpen()).isFalse();
    // the translator re-encoded the good size for the streaming server, and nothing of the bad message
    Link l3 = cluster.network().links().stream().filter(l -> l.name().startsWith("kubelet@node-1->")).findFirst()
        .orElseThrow();
    List<Spdy> up = LinkBytes.spdyFrames(LinkBytes.afterHead(l3.clientBytes()));
    byte[] sizes = LinkBytes.dataOf(up, LinkBytes.streamOfType(up, "resize"));
    assertThat(sizes).asString(StandardCharsets.UTF_8).isEqualTo("{\"Width\":80,\"Height\":24}\n");
  }

  private String issueToken(List<String> cmd) {
    String containerId = cluster.kubelet("node-1").pods().get("default", "web").orElseThrow()
        .container("app").orElseThrow().id();
    ExecResponse res = scheduler.await(cluster.node("node-1").containerd()
        .exec(new ExecRequest(containerId, cmd, false, false, true, true)));
    return res.url().substring(res.url().lastIndexOf('/') + 1);
  }

  /** Go's {@code http.NotFound}. */
  private static void assertPageNotFound(Reply r) {
    assertThat(r.head().status().code()).isEqualTo(404);
    assertThat(r.head().headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.head().headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.bodyText()).isEqualTo("404 page not found\n");
  }

  /** A SPDY upgrade request as client-go writes it, offering {@code versions}, one header line each. */
  private static String spdyUpgrade(String target, String host, List<String> versions) {
    StringBuilder b = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append("\r\n")
        .append("User-Agent: execsim-test\r\n")
        .append("Content-Length: 0\r\n")
        .append("Connection: Upgrade\r\n")
        .append("Upgrade: SPDY/3.1\r\n");
    versions.forEach(v -> b.append("X-Stream-Protocol-Version: ").append(v).append("\r\n"));
    return b.append("\r\n").toString();
  }

  /** A WebSocket upgrade request as gorilla writes it, offering {@code subprotocol}. */
  private static String webSocketUpgrade(String target, String subprotocol) {
    return "GET " + target + " HTTP/1.1\r\n"
        + "Host: " + APISERVER + "\r\n"
        + "User-Agent: execsim-test\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Upgrade: websocket\r\n"
        + "\r\n";
  }

  /** A final binary frame as a client must send it: masked (RFC 6455 §5.3), with a fixed key. */
  private static byte[] maskedFrame(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x82);
    writeLength(out, payload.length, 0x80);
    out.writeBytes(MASK);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ MASK[i % 4]);
    }
    return out.toByteArray();
  }

  /** A final binary frame without a mask, which only a server may send. */
  private static byte[] unmaskedFrame(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x82);
    writeLength(out, payload.length, 0);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length, int maskBit) {
    if (length < 126) {
      out.write(maskBit | length);
    } else {
      out.write(maskBit | 126);
      out.write(length >>> 8);
      out.write(length & 0xff);
    }
  }

  private static byte[] bytes(int channel, String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[t.length + 1];
    out[0] = (byte) channel;
    System.arraycopy(t, 0, out, 1, t.length);
    return out;
  }

  private static String channelData(List<Ws> frames, int channel) {
    StringBuilder b = new StringBuilder();
    frames.stream().filter(f -> f.type() == Ws.Type.BINARY && f.channel() == channel)
        .forEach(f -> b.append(new String(f.data(), StandardCharsets.UTF_8)));
    return b.toString();
  }
}
