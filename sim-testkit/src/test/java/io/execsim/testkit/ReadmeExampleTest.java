package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.cri.ExecSyncResponse;
import org.junit.jupiter.api.Test;

/** The example of the README, as it stands there. */
class ReadmeExampleTest {

  @Test
  void readmeExampleRuns() {
    try (SimNode node = SimNode.builder().seed(7).build()) {
      node.runContainer("app", ContainerImage.busybox());

      ExecSyncResponse ok = node.execSync("app", "sh", "-c", "echo ready; exit 3");
      assertThat(ok.stdoutText()).isEqualTo("ready\n");
      assertThat(ok.exitCode()).isEqualTo(3);

      node.fill(node.shimTempDir(), SimNode.Resource.INODES);
      assertThatThrownBy(() -> node.execSync("app", "true"))
          .hasMessageMatching("rpc error: code = Unknown desc = failed to exec in container: "
              + "failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: "
              + "open /tmp/runc-process[0-9]+: no space left on device: unknown");
      assertThat(node.leftovers()).isEmpty();
    }
  }
}
