package io.execsim.testkit.assertions;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimExec;
import io.execsim.testkit.SimNode;
import io.execsim.testkit.junit.SimulatedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A cluster leaves nothing behind once its execs end; one that does is told by what it left. */
class ClusterAssertTest {
  @SimulatedCluster
  SimCluster cluster;

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster).hasNoLeftovers();
  }

  @Test
  void endedExecsLeaveNothing() {
    assertThat(cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "echo hi; exit 3"))).exitedWith(3);

    assertThat(cluster).hasNoLeftovers();
  }

  @Test
  void execStillRunningIsNamedByWhatItHolds() {
    SimExec exec = cluster.startExec(ExecCommand.of("default", "web", "sleep", "3600"));

    assertThatThrownBy(() -> assertThat(cluster).hasNoLeftovers(Duration.ofMinutes(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expecting the cluster to leave nothing behind but after 1m of virtual time ")
        .hasMessageContaining(" task(s) were still due (a process that never ends, or a connection that keeps "
            + "pinging); it left:\n")
        .hasMessageContaining("\n  link ")
        .hasMessageContaining("/io/");

    assertThat(cluster).hasNoLeftovers();
    assertThat(exec.await()).exitedWith(0).printedNothing();
  }

  @Test
  void leftoverIsNamedByItsPath() {
    SimNode node = cluster.node("node-1");
    // what go-runc leaves in the shim's temp directory when the shim dies between writing and removing it
    String leftover = node.shimTempDir() + "/runc-process123";
    node.node().fs().writeFile(leftover, "{}".getBytes(StandardCharsets.UTF_8), 0600);

    assertThatThrownBy(() -> assertThat(cluster).hasNoLeftovers())
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting the cluster to leave nothing behind but, once idle, it left:\n  " + leftover);

    node.node().fs().removeAll(leftover);
  }
}
