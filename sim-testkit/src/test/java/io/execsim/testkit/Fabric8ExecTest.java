package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fabric8 kubernetes-client (WebSocket v4 through the apiserver's and kubelet's proxies) on a served cluster. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Fabric8ExecTest {
  private static SimCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void serve() {
    cluster = SimCluster.builder().realtime().seed(8)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build();
    int port = cluster.serve(0).port();
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Kubeconfig.text(port, "default")))
        .build();
  }

  @AfterAll
  static void close() {
    client.close();
    cluster.close();
  }

  private static Result exec(byte[] stdin, String... command) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var pod = client.pods().inNamespace("default").withName("web");
    try (ExecWatch watch = (stdin == null ? pod.writingOutput(out).writingError(err)
        : pod.readingInput(new ByteArrayInputStream(stdin)).writingOutput(out).writingError(err)).exec(command)) {
      int code = watch.exitCode().get(60, TimeUnit.SECONDS);
      return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }
  }

  record Result(String stdout, String stderr, int exitCode) {
  }

  @Test
  void echo() throws Exception {
    Result r = exec(null, "echo", "hello");

    assertThat(r).isEqualTo(new Result("hello\n", "", 0));
  }

  @Test
  void exitCode() throws Exception {
    Result r = exec(null, "sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(r).isEqualTo(new Result("out\n", "err\n", 3));
  }

  @Test
  void stdin() throws Exception {
    // v4.channel.k8s.io has no way to close stdin, so a command that waits for end of input (cat) never ends,
    // as with a real cluster; head stops after the lines it wants
    Result r = exec("one\ntwo\n".getBytes(StandardCharsets.UTF_8), "head", "-n", "2");

    assertThat(r).isEqualTo(new Result("one\ntwo\n", "", 0));
  }

  @Test
  void missingBinary() throws Exception {
    Result r = exec(null, "foo");

    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(-1);
  }
}
