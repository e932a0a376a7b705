package io.execsim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execsim.core.testing.HttpTestClient;
import io.execsim.core.testing.HttpTestClient.Response;
import io.execsim.core.http.RawConnection;
import io.execsim.core.net.Network;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXEC = "/api/v1/namespaces/ns/pods/web-0/exec?command=sh&command=-c&command=echo+hi"
      + "&container=app&stderr=true&stdin=true&stdout=true";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Network network = new Network(scheduler);
  private final Trace trace = new Trace(scheduler);
  private final ApiServer apiserver = new ApiServer(network, trace, ApiServerConfig.DEFAULT);
  private final List<String> kubeletRequests = new ArrayList<>();

  @BeforeEach
  void start() {
    apiserver.putPod(Pod.builder("ns", "web-0").nodeName("node-1").container("app", "busybox")
        .container("sidecar", "envoy").annotation(Pod.DEFAULT_CONTAINER_ANNOTATION, "app").build());
    apiserver.putPod(Pod.builder("ns", "solo").nodeName("node-1").container("main", "busybox").build());
    apiserver.putPod(Pod.builder("ns", "pending-0").phase(PodPhase.PENDING).container("app", "busybox").build());
    apiserver.addNode("node-1");
    apiserver.start();
  }

  private Response get(String uri, String... headers) {
    return HttpTestClient.call(scheduler, network, "kubectl", "apiserver:6443", "GET", uri, headers);
  }

  private Response post(String uri, String... headers) {
    return HttpTestClient.call(scheduler, network, "kubectl", "apiserver:6443", "POST", uri, headers);
  }

  /** Sends a GET whose answer is not awaited: the translator under test answers nothing. */
  private void upgradeOnly(String uri, String... headers) {
    HttpTestClient.send(scheduler, network, "kubectl", "apiserver:6443", "GET", uri, headers);
    scheduler.runUntilIdle();
  }

  private static JsonNode json(Response r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void versionIsIndentedJsonWithTheGitVersion() {
    Response r = get("/version?timeout=5s");

    assertThat(r.code()).isEqualTo(200);
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(r.body()).startsWith("{\n  \"major\": \"1\",\n  \"minor\": \"33\",\n");
    assertThat(json(r).path("gitVersion").asText()).isEqualTo("v1.33.0");
  }

  @Test
  void discoveryListsTheCoreGroupWithPodsAndExec() {
    Response api = get("/api?timeout=32s", "Accept",
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    Response apis = get("/apis?timeout=32s");
    Response v1 = get("/api/v1?timeout=32s");

    assertThat(api.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(json(api).path("kind").asText()).isEqualTo("APIVersions");
    assertThat(json(api).path("versions").get(0).asText()).isEqualTo("v1");
    assertThat(apis.body()).isEqualTo("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}\n");
    JsonNode resources = json(v1).path("resources");
    assertThat(json(v1).path("groupVersion").asText()).isEqualTo("v1");
    assertThat(resources.get(0).path("name").asText()).isEqualTo("pods");
    assertThat(resources.get(0).path("namespaced").asBoolean()).isTrue();
    assertThat(resources.get(0).path("verbs").toString()).contains("\"get\"", "\"list\"");
    assertThat(resources.get(1).path("name").asText()).isEqualTo("pods/exec");
    assertThat(resources.get(1).path("verbs").toString()).isEqualTo("[\"create\",\"get\"]");
  }

  @Test
  void podCarriesWhatKubectlReadsBeforeAnExec() {
    JsonNode pod = json(get("/api/v1/namespaces/ns/pods/web-0"));

    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(pod.path("metadata").path("name").asText()).isEqualTo("web-0");
    assertThat(pod.path("metadata").path("namespace").asText()).isEqualTo("ns");
    assertThat(pod.path("metadata").path("uid").asText()).hasSize(36);
    assertThat(pod.path("metadata").path("creationTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(pod.path("metadata").path("annotations").path(Pod.DEFAULT_CONTAINER_ANNOTATION).asText())
        .isEqualTo("app");
    assertThat(pod.path("spec").path("containers").get(1).path("name").asText()).isEqualTo("sidecar");
    assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("node-1");
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(pod.path("status").path("containerStatuses").get(0).path("state").has("running")).isTrue();
  }

  @Test
  void missingPodIsANotFoundStatus() {
    Response r = get("/api/v1/namespaces/ns/pods/nope");

    assertThat(r.code()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"pods \\\"nope\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"nope\","
        + "\"kind\":\"pods\"},\"code\":404}\n");
  }

  @Test
  void podListSelectsByName() {
    JsonNode list = json(get("/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dweb-0"));

    assertThat(list.path("kind").asText()).isEqualTo("PodList");
    assertThat(list.path("items")).hasSize(1);
    assertThat(list.path("items").get(0).has("kind")).isFalse();
    assertThat(list.path("items").get(0).path("metadata").path("name").asText()).isEqualTo("web-0");
  }

  @Test
  void unsupportedFieldIsABadRequest() {
    Response r = get("/api/v1/namespaces/ns/pods?fieldSelector=spec.color%3Dred");

    assertThat(r.code()).isEqualTo(400);
    assertThat(json(r).path("message").asText()).isEqualTo("field label not supported: spec.color");
  }

  @Test
  void unknownPathIsTheNotFoundHandlersStatus() {
    Response r = get("/apis/apps/v1");

    assertThat(r.code()).isEqualTo(404);
    assertThat(json(r).path("message").asText()).isEqualTo("the server could not find the requested resource");
    assertThat(json(r).path("reason").asText()).isEqualTo("NotFound");
  }

  @Test
  void execWithoutContainerInAPodOfTwoNamesTheChoices() {
    Response r = post("/api/v1/namespaces/ns/pods/web-0/exec?command=ls&stdout=true");

    assertThat(r.code()).isEqualTo(400);
    assertThat(json(r).path("message").asText())
        .isEqualTo("a container name must be specified for pod web-0, choose one of: [app sidecar]");
    assertThat(json(r).path("reason").asText()).isEqualTo("BadRequest");
  }

  @Test
  void execIntoUnknownContainerIsABadRequest() {
    Response r = post("/api/v1/namespaces/ns/pods/web-0/exec?command=ls&container=db&stdout=true");

    assertThat(json(r).path("message").asText()).isEqualTo("container db is not valid for pod web-0");
  }

  @Test
  void execIntoUnscheduledPodHasNoHost() {
    Response r = post("/api/v1/namespaces/ns/pods/pending-0/exec?command=ls&stdout=true");

    assertThat(r.code()).isEqualTo(400);
    assertThat(json(r).path("message").asText()).isEqualTo("pod pending-0 does not have a host assigned");
  }

  @Test
  void execIntoMissingPodIsNotFound() {
    assertThat(post("/api/v1/namespaces/ns/pods/ghost/exec?command=ls&stdout=true").code()).isEqualTo(404);
  }

  @Test
  void execThatIsNotAnUpgradeIsRefusedAfterThePodChecks() {
    Response r = post("/api/v1/namespaces/ns/pods/solo/exec?command=ls&stdout=true");

    assertThat(r.code()).isEqualTo(400);
    assertThat(json(r).path("message").asText()).isEqualTo("Upgrade request required");
  }

  @Test
  void deniedExecIsForbiddenWithTheRbacText() {
    apiserver.addToken("t0k", "jane");
    apiserver.setAuthorizer(a -> new ExecAuthorizer.Decision.Deny(""));

    Response r = post(EXEC, "Authorization", "Bearer t0k");
    Response ws = get(EXEC, "Authorization", "Bearer t0k");

    assertThat(r.code()).isEqualTo(403);
    assertThat(json(r).path("message").asText()).isEqualTo("pods \"web-0\" is forbidden: User \"jane\" cannot create"
        + " resource \"pods/exec\" in API group \"\" in the namespace \"ns\"");
    assertThat(json(r).path("reason").asText()).isEqualTo("Forbidden");
    assertThat(json(ws).path("message").asText()).contains("User \"jane\" cannot get resource \"pods/exec\"");
  }

  @Test
  void anonymousUserIsNamedSo() {
    apiserver.setAuthorizer(a -> a.user().equals("system:anonymous")
        ? new ExecAuthorizer.Decision.Deny("") : new ExecAuthorizer.Decision.Allow());

    assertThat(json(post(EXEC)).path("message").asText()).contains("User \"system:anonymous\" cannot create");
  }

  @Test
  void unknownTokenIsUnauthorized() {
    apiserver.addToken("t0k", "jane");

    Response r = get("/api", "Authorization", "Bearer wrong");

    assertThat(r.code()).isEqualTo(401);
    assertThat(json(r).path("reason").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void spdyExecIsProxiedToTheKubeletWithoutCredentials() {
    kubelet("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
    RawClient client = RawClient.dial(scheduler, network, "apiserver:6443");

    client.send("POST " + EXEC + " HTTP/1.1\r\nHost: apiserver:6443\r\nAuthorization: Bearer x\r\n"
        + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v5.channel.k8s.io\r\n"
        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
    scheduler.runUntilIdle();

    assertThat(client.received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
    assertThat(kubeletRequests).hasSize(1);
    assertThat(kubeletRequests.get(0))
        .startsWith("POST /exec/ns/web-0/app?command=sh&command=-c&command=echo+hi&error=1&input=1&output=1"
            + " HTTP/1.1\r\nHost: apiserver:6443\r\n")
        .contains("X-Forwarded-For: kubectl\r\n")
        .doesNotContain("Authorization");
    assertThat(trace.has(Hop.APISERVER, Phase.CLIENT_UPGRADE)).isTrue();
    assertThat(trace.has(Hop.APISERVER, Phase.KUBELET_UPGRADE)).isTrue();
  }

  @Test
  void kubeletRefusalIsCopiedBackToTheClient() {
    kubelet("HTTP/1.1 401 Unauthorized\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Length: 12\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\nUnauthorized");
    RawClient client = RawClient.dial(scheduler, network, "apiserver:6443");

    client.send("POST " + EXEC + " HTTP/1.1\r\nHost: apiserver:6443\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n\r\n");
    scheduler.runUntilIdle();

    assertThat(client.received()).startsWith("HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n")
        .endsWith("\r\n\r\nUnauthorized");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void kubeletDownIsA500StatusWithoutReason() {
    Response r = post(EXEC, "Connection", "Upgrade", "Upgrade", "SPDY/3.1");

    assertThat(r.code()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"error dialing backend: dial tcp node-1:10250: connect: connection refused\",\"code\":500}\n");
  }

  @Test
  void killedApiserverRefusesDialsAndDropsBothLegsOfAnExec() {
    kubelet("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n");
    RawClient client = RawClient.dial(scheduler, network, "apiserver:6443");
    client.send("POST " + EXEC + " HTTP/1.1\r\nHost: apiserver:6443\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n\r\n");
    scheduler.runUntilIdle();
    assertThat(client.received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");

    apiserver.kill();
    scheduler.runUntilIdle();

    assertThat(client.isOpen()).isFalse();
    assertThat(network.openLinks()).isEmpty();
    assertThat(apiserver.isListening()).isFalse();
    assertThat(network.isListening("apiserver:6443")).isFalse();
  }

  @Test
  void restartedApiserverServesAgainWithItsPods() {
    apiserver.restart();

    assertThat(get("/api/v1/namespaces/ns/pods/solo").code()).isEqualTo(200);
  }

  @Test
  void webSocketV5GoesToTheTranslatorWhenOneIsSet() {
    List<String> calls = new ArrayList<>();
    apiserver.setStreamTranslator((ctx, req, kubelet, options) -> {
      calls.add(req.method() + " " + kubelet.address() + kubelet.pathAndQuery() + " " + options);
      ctx.close();
    });

    upgradeOnly(EXEC.replace("stdin=true&", "") + "&tty=true", "Connection", "Upgrade", "Upgrade", "websocket",
        "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Protocol", "v5.channel.k8s.io");

    assertThat(calls).containsExactly("GET node-1:10250/exec/ns/web-0/app?command=sh&command=-c&command=echo+hi"
        + "&error=1&output=1&tty=1 "
        + new ExecOptions("app", List.of("sh", "-c", "echo hi"), false, true, true, true));
    assertThat(kubeletRequests).isEmpty();
  }

  @Test
  void webSocketWithoutTranslatorOrWithV4IsProxiedRaw() {
    kubelet("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    apiserver.setStreamTranslator((ctx, req, kubelet, options) -> {
      throw new AssertionError("v4 is not translated");
    });
    RawClient client = RawClient.dial(scheduler, network, "apiserver:6443");

    client.send("GET " + EXEC + " HTTP/1.1\r\nHost: apiserver:6443\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n");
    scheduler.runUntilIdle();

    assertThat(kubeletRequests.get(0)).startsWith("GET /exec/ns/web-0/app?").contains("Upgrade: websocket\r\n",
        "Sec-Websocket-Protocol: v4.channel.k8s.io\r\n");
    assertThat(client.received()).startsWith("HTTP/1.1 403 Forbidden\r\n");
  }

  @Test
  void translatorGetsAnExecTargetOfTheKubelet() {
    List<ExecTarget> targets = new ArrayList<>();
    apiserver.setStreamTranslator((ctx, req, kubelet, options) -> {
      targets.add(kubelet);
      ctx.close();
    });

    upgradeOnly("/api/v1/namespaces/ns/pods/solo/exec?command=ls&stdout=true", "Connection", "Upgrade", "Upgrade",
        "websocket", "Sec-WebSocket-Protocol", "v5.channel.k8s.io");

    assertThat(targets).containsExactly(new ExecTarget("node-1:10250", "node-1:10250",
        "/exec/ns/solo/main?command=ls&output=1", Map.of()));
  }

  /** A kubelet that answers the first request head with {@code answer}. */
  private void kubelet(String answer) {
    network.listen("node-1:10250", ch -> {
      RawConnection raw = RawConnection.install(ch, scheduler);
      StringBuilder acc = new StringBuilder();
      raw.read(buf -> {
        acc.append(buf.toString(StandardCharsets.ISO_8859_1));
        buf.release();
        int end = acc.indexOf("\r\n\r\n");
        if (end >= 0 && kubeletRequests.isEmpty()) {
          kubeletRequests.add(acc.substring(0, end + 4));
          raw.write(Unpooled.copiedBuffer(answer, StandardCharsets.ISO_8859_1));
        }
      });
    });
  }
}
