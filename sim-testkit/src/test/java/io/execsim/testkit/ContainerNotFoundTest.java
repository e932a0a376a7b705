package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.net.Link;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.LinkBytes.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl exec -c nosuch}: kubectl does not check the name, the apiserver's {@code validateContainer} answers
 * 400 before any upgrade, and kubectl prints the status. Over WebSocket the 400 is an upgrade failure, so kubectl
 * asks again over SPDY and prints what that answer says.
 */
class ContainerNotFoundTest {
  private static final String STATUS = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
      + "\"Failure\",\"message\":\"container nosuch is not valid for pod web\",\"reason\":\"BadRequest\",\"code\":400}";
  private static final String PRINTED = "Error from server (BadRequest): container nosuch is not valid for pod web\n";
  private static final ExecCommand EXEC = ExecCommand.of("default", "web", "echo", "hi").inContainer("nosuch");

  private final SimCluster cluster = SimCluster.builder().seed(13).captureLinks()
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
  void webSocketRefusalFallsBackToSpdyWhichPrintsTheBadRequest() {
    KubectlResult r = cluster.exec(KubectlOptions.latest(), EXEC);

    assertThat(r.stdoutText()).isEmpty();
    assertThat(r.stderrText()).isEqualTo(PRINTED);
    assertThat(r.exitCode()).isEqualTo(1);
    List<Link> execs = execLinks();
    assertThat(execs).extracting(l -> LinkBytes.requestHead(l.clientBytes()).method().name())
        .containsExactly("GET", "POST");
    assertThat(LinkBytes.requestHead(execs.get(0).clientBytes()).headers().get("Upgrade"))
        .isEqualToIgnoringCase("websocket");
    assertThat(LinkBytes.requestHead(execs.get(1).clientBytes()).headers().get("Upgrade"))
        .isEqualToIgnoringCase("SPDY/3.1");
    execs.forEach(ContainerNotFoundTest::assertBadRequest);
    assertThat(cluster.network().links()).noneMatch(l -> l.name().startsWith("apiserver->"));
  }

  @Test
  void spdyPrintsTheBadRequest() {
    KubectlResult r = cluster.exec(KubectlOptions.latest().withoutWebSockets(), EXEC);

    assertThat(r.stderrText()).isEqualTo(PRINTED);
    assertThat(r.exitCode()).isEqualTo(1);
    List<Link> execs = execLinks();
    assertThat(execs).hasSize(1);
    assertBadRequest(execs.get(0));
    assertThat(cluster.network().links()).noneMatch(l -> l.name().startsWith("apiserver->"));
  }

  private static void assertBadRequest(Link l) {
    Reply reply = LinkBytes.response(l.serverBytes());
    assertThat(reply.head().status().code()).as(l.name()).isEqualTo(400);
    assertThat(reply.head().headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(reply.bodyText()).isEqualTo(STATUS + "\n");
  }

  private List<Link> execLinks() {
    return cluster.network().links().stream()
        .filter(l -> l.name().startsWith("kubectl->apiserver:6443#"))
        .filter(l -> LinkBytes.requestHead(l.clientBytes()).uri().contains("/exec?"))
        .toList();
  }
}
