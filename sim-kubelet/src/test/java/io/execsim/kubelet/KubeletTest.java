package io.execsim.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.cri.ExecRequest;
import io.execsim.core.cri.ExecResponse;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import io.execsim.core.http.RawConnection;
import io.execsim.core.net.Network;
import io.execsim.core.net.SimChannel;
import io.execsim.core.node.Node;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.testing.HttpTestClient;
import io.execsim.core.testing.HttpTestClient.Response;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeletTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final String EXEC = "/exec/ns/web-0/app?command=sh&command=-c&command=echo+hi&input=1&output=1"
      + "&error=1";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final Trace trace = new Trace(scheduler);
  private final Node node = new Node("node-1", scheduler, new SimRandom(7), trace);
  private final FakeRuntime runtime = new FakeRuntime();
  private final Kubelet kubelet = new Kubelet(node, network, runtime, KubeletConfig.DEFAULT);
  private final List<String> streamingRequests = new ArrayList<>();

  @BeforeEach
  void start() {
    kubelet.pods().put(new KubeletPod("ns", "web-0", "uid-1", List.of(
        new KubeletContainer("app", "c0ffee", true),
        new KubeletContainer("sidecar", "dead01", false))));
    kubelet.start();
  }

  private Response post(String uri) {
    return call("POST", uri);
  }

  /** A request from the apiserver to the kubelet, answered in virtual time. */
  private Response call(String method, String uri, String... headers) {
    return HttpTestClient.call(scheduler, network, "apiserver", "node-1:10250", method, uri, headers);
  }

  @Test
  void listensOnTheNodeNameAndPort() {
    assertThat(kubelet.address()).isEqualTo("node-1:10250");
    assertThat(network.isListening("node-1:10250")).isTrue();
  }

  @Test
  void noStreamIsABadRequest() {
    Response r = post("/exec/ns/web-0/app?command=ls");

    assertThat(r.code()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("you must specify at least 1 of stdin, stdout, stderr");
    assertThat(r.headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void ttyDropsStderrBeforeTheCheck() {
    assertThat(post("/exec/ns/web-0/app?command=ls&error=1&tty=1").code()).isEqualTo(400);
  }

  @Test
  void unknownPodIsNotFound() {
    Response r = post("/exec/ns/web-9/app?command=ls&output=1");

    assertThat(r.code()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("pod does not exist");
  }

  @Test
  void stoppedContainerIsNotFoundAsAnInternalError() {
    Response r = post("/exec/ns/web-0/sidecar?command=ls&output=1");

    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("container not found (\"sidecar\")");
  }

  @Test
  void otherUidFindsNoContainer() {
    Response r = post("/exec/ns/web-0/uid-2/app?command=ls&output=1");

    assertThat(r.body()).isEqualTo("container not found (\"app\")");
  }

  @Test
  void unauthenticatedClientGets401() {
    kubelet.setAuth(new KubeletAuth.Unauthenticated());

    Response r = post(EXEC);

    assertThat(r.code()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("Unauthorized");
  }

  @Test
  void forbiddenClientGets403WithTheKubeletText() {
    kubelet.setAuth(new KubeletAuth.Forbidden("kube-apiserver-kubelet-client"));

    Response r = post(EXEC);

    assertThat(r.code()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes,"
        + " subresource(s)=[proxy])\n");
  }

  @Test
  void failingAuthorizerGets500() {
    kubelet.setAuth(new KubeletAuth.AuthorizerError("masterclient"));

    Response r = call("GET", EXEC);

    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("Authorization error (user=masterclient, verb=get, resource=nodes,"
        + " subresource=proxy)");
  }

  @Test
  void runtimeNotFoundIs404WithTheRpcText() {
    runtime.answer = r -> CompletableFuture.failedFuture(RpcError.of(RpcCode.NOT_FOUND, "container \"c0ffee\" in"
        + " namespace \"k8s.io\": not found"));

    Response r = post(EXEC);

    assertThat(r.code()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("rpc error: code = NotFound desc = container \"c0ffee\" in namespace \"k8s.io\":"
        + " not found");
  }

  @Test
  void runtimeOutOfTokensIs429WithRetryAfter() {
    runtime.answer = r -> CompletableFuture.failedFuture(RpcError.of(RpcCode.RESOURCE_EXHAUSTED,
        "maximum number of in-flight requests exceeded"));

    Response r = post(EXEC);

    assertThat(r.code()).isEqualTo(429);
    assertThat(r.headers().get("Retry-After")).isEqualTo("60");
  }

  @Test
  void otherRuntimeErrorsAre500() {
    runtime.answer = r -> CompletableFuture.failedFuture(RpcError.of(RpcCode.UNKNOWN, "failed to exec in container:"
        + " container is in CONTAINER_EXITED state"));

    Response r = post(EXEC);

    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("rpc error: code = Unknown desc = failed to exec in container: container is in"
        + " CONTAINER_EXITED state");
  }

  @Test
  void emptyUrlIsAnError() {
    runtime.answer = r -> CompletableFuture.completedFuture(new ExecResponse(""));

    assertThat(post(EXEC).body()).isEqualTo("URL is not set");
  }

  @Test
  void runtimeThatNeverAnswersTimesOutAfterTwoMinutes() {
    runtime.answer = r -> new CompletableFuture<>();

    Response r = post(EXEC);

    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("rpc error: code = DeadlineExceeded desc = context deadline exceeded");
  }

  @Test
  void requestThatIsNotAnUpgradeIsRefusedAfterTheRuntimeCall() {
    Response r = post(EXEC);

    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("Upgrade request required\n");
    assertThat(r.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(runtime.calls).hasSize(1);
  }

  @Test
  void unknownPathIsGoRestfulsNotFound() {
    Response r = call("GET", "/attach/ns/web-0/app");

    assertThat(r.code()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("404: Page Not Found");
  }

  @Test
  void otherMethodIsNotAllowed() {
    assertThat(call("PUT", EXEC).code()).isEqualTo(405);
  }

  @Test
  void upgradeIsProxiedToTheStreamingUrl() {
    streamingServer();
    SimChannel ch = scheduler.await(network.dial("apiserver", "node-1:10250",
        c -> RawConnection.install(c, scheduler)));
    RawConnection client = ch.pipeline().get(RawConnection.class);
    StringBuilder got = new StringBuilder();
    client.read(buf -> got.append(text(buf)));

    client.write(bytes("POST " + EXEC + "&tty=1 HTTP/1.1\r\nHost: node-1:10250\r\nUser-Agent: Go-http-client/1.1\r\n"
        + "Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Forwarded-For: kubectl\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nearly"));
    scheduler.runUntilIdle();

    assertThat(runtime.calls).containsExactly(
        new ExecRequest("c0ffee", List.of("sh", "-c", "echo hi"), true, true, true, false));
    assertThat(streamingRequests).containsExactly("POST /exec/tok123 HTTP/1.1\r\n"
        + "Host: node-1:10250\r\n"
        + "User-Agent: Go-http-client/1.1\r\n"
        + "Content-Length: 0\r\n"
        + "Connection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n"
        + "X-Forwarded-For: kubectl, apiserver\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
    assertThat(got.toString()).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n\r\nechoed:early");
    assertThat(trace.has(Hop.KUBELET, Phase.CRI_EXEC)).isTrue();
    assertThat(trace.has(Hop.KUBELET, Phase.STREAMING_UPGRADE)).isTrue();
  }

  @Test
  void listensOnTheConfiguredHost() {
    Kubelet other = new Kubelet(node, network, runtime, KubeletConfig.DEFAULT.withHost("10.0.0.9"));
    other.start();

    assertThat(other.address()).isEqualTo("10.0.0.9:10250");
    assertThat(network.isListening("10.0.0.9:10250")).isTrue();
  }

  @Test
  void killedKubeletRefusesDialsAndDropsBothLegs() {
    streamingServer();
    SimChannel ch = scheduler.await(network.dial("apiserver", "node-1:10250",
        c -> RawConnection.install(c, scheduler)));
    ch.pipeline().get(RawConnection.class).write(bytes("POST " + EXEC + " HTTP/1.1\r\nHost: node-1:10250\r\n"
        + "Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n"));
    scheduler.runUntilIdle();
    assertThat(network.openLinks()).hasSize(2);

    kubelet.kill();
    scheduler.runUntilIdle();

    assertThat(network.openLinks()).isEmpty();
    assertThat(ch.isOpen()).isFalse();
    assertThat(network.isListening("node-1:10250")).isFalse();
    assertThat(trace.has(Hop.KUBELET, Phase.FAULT_FIRED)).isTrue();
  }

  @Test
  void restartedKubeletServesNewRequests() {
    kubelet.restart();

    assertThat(post("/exec/ns/web-9/app?command=ls&output=1").body()).isEqualTo("pod does not exist");
  }

  @Test
  void runtimeAnswerAfterAKillIsDropped() {
    CompletableFuture<ExecResponse> late = new CompletableFuture<>();
    runtime.answer = r -> late;
    streamingServer();
    HttpTestClient.send(scheduler, network, "apiserver", "node-1:10250", "POST", EXEC, "Connection", "Upgrade",
        "Upgrade", "SPDY/3.1");
    scheduler.runUntilIdle();

    kubelet.restart();
    late.complete(new ExecResponse("http://127.0.0.1:34567/exec/tok123"));
    scheduler.runUntilIdle();

    assertThat(streamingRequests).as("the dead kubelet never dials the streaming server").isEmpty();
  }

  @Test
  void slowKubeletAnswersAfterItsDelay() {
    kubelet.setDelay(Duration.ofSeconds(3));

    Response r = post("/exec/ns/web-9/app?command=ls&output=1");

    assertThat(r.body()).isEqualTo("pod does not exist");
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void unreachableStreamingServerIsA500WithTheDialError() {
    Response r = call("POST", EXEC, "Connection", "Upgrade", "Upgrade",
        "SPDY/3.1");

    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("error dialing backend: dial tcp 127.0.0.1:34567: connect: connection refused\n");
  }

  /** A streaming server that switches protocols and then echoes with a prefix. */
  private void streamingServer() {
    network.listen("127.0.0.1:34567", ch -> {
      RawConnection raw = RawConnection.install(ch, scheduler);
      StringBuilder acc = new StringBuilder();
      raw.read(buf -> {
        acc.append(text(buf));
        int end = acc.indexOf("\r\n\r\n");
        if (end >= 0 && streamingRequests.isEmpty()) {
          streamingRequests.add(acc.substring(0, end + 4));
          raw.write(bytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n"));
          acc.delete(0, end + 4);
        }
        if (!streamingRequests.isEmpty() && acc.length() > 0) {
          raw.write(bytes("echoed:" + acc));
          acc.setLength(0);
        }
      });
    });
  }

  private static String text(ByteBuf buf) {
    try {
      return buf.toString(StandardCharsets.ISO_8859_1);
    } finally {
      buf.release();
    }
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }
}
