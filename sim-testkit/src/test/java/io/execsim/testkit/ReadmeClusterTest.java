package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlResult;
import org.junit.jupiter.api.Test;

/** The cluster example of the README, as it stands there. */
class ReadmeClusterTest {

  @Test
  void readmeClusterExampleRuns() {
    try (SimCluster cluster = SimCluster.builder().seed(3)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build()) {
      KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "echo err >&2; exit 3"));

      assertThat(r.stderrText()).isEqualTo("err\ncommand terminated with exit code 3\n");
      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.protocol()).contains("websocket");
    }
  }
}
