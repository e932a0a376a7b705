package io.execsim.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.net.Network;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UpgradeAwareProxyTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final String SPDY_REQUEST = "POST /api/v1/namespaces/ns/pods/p/exec?command=cat HTTP/1.1\r\n"
      + "Host: front:6443\r\n"
      + "User-Agent: kubectl/v1.33.0\r\n"
      + "Connection: Upgrade\r\n"
      + "Upgrade: SPDY/3.1\r\n"
      + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
      + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"
      + "Authorization: Bearer secret\r\n"
      + "\r\n";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final Trace trace = new Trace(scheduler);
  private final List<String> backendRequests = new ArrayList<>();

  private void front(ErrorResponder responder) {
    UpgradeAwareProxy proxy = UpgradeAwareProxy.builder(network, trace, Hop.APISERVER)
        .dialer("apiserver")
        .responder(responder)
        .removeHeader("authorization")
        .build();
    network.listen("front:6443", ch -> GoHttpServer.install(ch, scheduler,
        ex -> proxy.serve(ex, "backend:10250", "/exec/ns/p/c?command=cat&input=1&output=1")));
  }

  /** A backend that answers the first request head with {@code answer(head)} and echoes what follows it. */
  private void backend(Function<String, String> answer, boolean echo) {
    network.listen("backend:10250", ch -> {
      RawConnection raw = RawConnection.install(ch, scheduler);
      StringBuilder acc = new StringBuilder();
      boolean[] answered = {false};
      raw.read(buf -> {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        buf.release();
        if (answered[0]) {
          if (echo) {
            raw.write(Unpooled.copiedBuffer("echo:" + s, StandardCharsets.ISO_8859_1));
          }
          return;
        }
        acc.append(s);
        int end = acc.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        answered[0] = true;
        String head = acc.substring(0, end + 4);
        backendRequests.add(head);
        String rest = acc.substring(end + 4);
        StringBuilder out = new StringBuilder(answer.apply(head));
        if (echo && !rest.isEmpty()) {
          out.append("echo:").append(rest);
        }
        raw.write(Unpooled.copiedBuffer(out, StandardCharsets.ISO_8859_1));
      });
    });
  }

  @Test
  void upgradeSplicesBytesBothWaysIncludingThoseSentEarly() {
    front(ErrorResponder.apiStatus());
    backend(head -> "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nright-after-101", true);
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");

    client.send(SPDY_REQUEST + "sent-before-101");
    scheduler.runUntilIdle();
    client.send("later");
    scheduler.runUntilIdle();

    assertThat(client.received()).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nright-after-101"
        + "echo:sent-before-101echo:later");
    assertThat(trace.has(Hop.APISERVER, Phase.KUBELET_DIAL)).isTrue();
    assertThat(trace.has(Hop.APISERVER, Phase.KUBELET_UPGRADE)).isTrue();
  }

  @Test
  void backendGetsTheCloneAsGoWritesIt() {
    front(ErrorResponder.apiStatus());
    backend(head -> "HTTP/1.1 101 Switching Protocols\r\n\r\n", false);
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(backendRequests).containsExactly("POST /exec/ns/p/c?command=cat&input=1&output=1 HTTP/1.1\r\n"
        + "Host: front:6443\r\n"
        + "User-Agent: kubectl/v1.33.0\r\n"
        + "Content-Length: 0\r\n"
        + "Connection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n"
        + "X-Forwarded-For: kubectl\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"
        + "\r\n");
  }

  @Test
  void closingEitherSideClosesTheOther() {
    front(ErrorResponder.apiStatus());
    backend(head -> "HTTP/1.1 101 Switching Protocols\r\n\r\n", true);
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");
    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    client.close();
    scheduler.runUntilIdle();

    assertThat(network.openLinks()).isEmpty();
    assertThat(trace.render()).contains("proxy to backend:10250 ended by the client");
  }

  @Test
  void backendErrorIsCopiedThroughAndTheConnectionCloses() {
    front(ErrorResponder.apiStatus());
    backend(head -> "HTTP/1.1 404 Not Found\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Length: 19\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n\r\n404 page not found\n",
        false);
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(client.received()).isEqualTo("HTTP/1.1 404 Not Found\r\n"
        + "Content-Length: 19\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
        + "X-Content-Type-Options: nosniff\r\n"
        + "\r\n"
        + "404 page not found\n");
    assertThat(client.isClosed()).isTrue();
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void errorBodyArrivingLaterIsWaitedFor() {
    front(ErrorResponder.apiStatus());
    List<RawConnection> backends = new ArrayList<>();
    network.listen("backend:10250", ch -> {
      RawConnection raw = RawConnection.install(ch, scheduler);
      backends.add(raw);
      raw.read(ByteBuf::release);
    });
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");
    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    backends.get(0).write(Unpooled.copiedBuffer("HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n\r\nUnau",
        StandardCharsets.ISO_8859_1));
    scheduler.advance(Duration.ofSeconds(9));
    assertThat(client.received()).isEmpty();
    backends.get(0).write(Unpooled.copiedBuffer("thorized", StandardCharsets.ISO_8859_1));
    scheduler.advance(Duration.ofMillis(1));

    assertThat(client.received()).isEqualTo("HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n\r\nUnauthorized");
  }

  @Test
  void errorBodyNeverCompletedIsCutAfterTenSeconds() {
    front(ErrorResponder.apiStatus());
    network.listen("backend:10250", ch -> {
      RawConnection raw = RawConnection.install(ch, scheduler);
      raw.read(buf -> {
        buf.release();
        raw.write(Unpooled.copiedBuffer("HTTP/1.1 403 Forbidden\r\nContent-Length: 100\r\n\r\nForb",
            StandardCharsets.ISO_8859_1));
      });
    });
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");
    client.send(SPDY_REQUEST);

    scheduler.runUntilIdle();

    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(10));
    assertThat(client.received()).endsWith("\r\n\r\nForb");
    assertThat(client.isClosed()).isTrue();
  }

  @Test
  void refusedDialIsA500StatusWithoutReason() {
    front(ErrorResponder.apiStatus());
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(client.received()).isEqualTo("HTTP/1.1 500 Internal Server Error\r\n"
        + "Cache-Control: no-cache, private\r\n"
        + "Content-Type: application/json\r\n"
        + "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
        + "Content-Length: 167\r\n"
        + "\r\n"
        + "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"error dialing backend: dial tcp backend:10250: connect: connection refused\",\"code\":500}\n");
    assertThat(trace.render()).contains("error dialing backend");
  }

  @Test
  void kubeletRespondsWithPlainText() {
    front(ErrorResponder.plainText());
    RawPeer client = RawPeer.dial(scheduler, network, "apiserver", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(client.received()).startsWith("HTTP/1.1 500 Internal Server Error\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n");
    assertThat(client.received()).endsWith("\r\n\r\nerror dialing backend: dial tcp backend:10250: connect: "
        + "connection refused\n");
  }

  @Test
  void requestThatIsNotAnUpgradeIsRefused() {
    front(ErrorResponder.apiStatus());
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");

    client.send("GET /x HTTP/1.1\r\nHost: front:6443\r\n\r\n");
    scheduler.runUntilIdle();

    assertThat(client.received()).startsWith("HTTP/1.1 400 Bad Request\r\n")
        .endsWith("\"message\":\"Upgrade request required\",\"reason\":\"BadRequest\",\"code\":400}\n");
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void successThatIsNotSwitchingProtocolsIsAnInvalidUpgrade() {
    front(ErrorResponder.apiStatus());
    backend(head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
    RawPeer client = RawPeer.dial(scheduler, network, "kubectl", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(client.received()).contains("\"message\":\"invalid upgrade response: status code 200\"");
    assertThat(network.openLinks()).isEmpty();
  }

  @Test
  void backendClosingBeforeAnsweringIsUnexpectedEof() {
    front(ErrorResponder.plainText());
    network.listen("backend:10250", ch -> {
      RawConnection raw = RawConnection.install(ch, scheduler);
      raw.read(buf -> {
        buf.release();
        raw.close();
      });
    });
    RawPeer client = RawPeer.dial(scheduler, network, "apiserver", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(client.received()).endsWith("\r\n\r\nunexpected EOF\n");
  }

  @Test
  void garbageFromTheBackendIsAMalformedResponse() {
    front(ErrorResponder.plainText());
    backend(head -> "SSH-2.0-OpenSSH_9.6\r\n", false);
    RawPeer client = RawPeer.dial(scheduler, network, "apiserver", "front:6443");

    client.send(SPDY_REQUEST);
    scheduler.runUntilIdle();

    assertThat(client.received()).endsWith("\r\n\r\nmalformed HTTP response \"SSH-2.0-OpenSSH_9.6\"\n");
  }
}
