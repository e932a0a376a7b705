package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.io.Streams;
import io.execsim.core.oci.DelayedRuntime;
import io.execsim.cri.ctr.Ctr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ctr through containerd and a shim per container to runc, and what it sees when a shim or containerd fails. */
class CtrFaultsTest {
  private static final String ROOTFS = "/var/lib/rootfs";
  private static final String SLOWRUNC = "/usr/local/bin/slowrunc";
  private static final String FIFOS = "/run/containerd/fifo";

  private final SimNode node = SimNode.builder().seed(21).build();

  CtrFaultsTest() {
    node.installImage(ROOTFS, ContainerImage.busybox());
    node.installRuntime(SLOWRUNC, new DelayedRuntime(node.runcBinary(), node.scheduler(), "exec",
        Duration.ofSeconds(5)));
  }

  @AfterEach
  void close() {
    node.close();
  }

  private void run(String id, String... runtime) {
    String[] args = runtime.length == 0
        ? new String[] {"run", "-d", "--env", "PATH=/bin", "--rootfs", ROOTFS, id, "sleep", "3600"}
        : new String[] {"run", "-d", "--runc-binary", runtime[0], "--env", "PATH=/bin", "--rootfs", ROOTFS, id,
            "sleep", "3600"};
    assertThat(node.ctr(args).exitCode()).isZero();
  }

  /** A ctr that runs on while the test does something else. */
  private final class Background {
    final Streams.Collector out = new Streams.Collector(1 << 20);
    final Streams.Collector err = new Streams.Collector(1 << 20);
    final Ctr.Running ctr;

    Background(String... args) {
      ctr = node.ctrTool().start(List.of(args), Map.of(), Streams.empty(), out, err);
    }

    CommandResult await() {
      int code = node.scheduler().await(ctr.exit());
      return new CommandResult(out.bytes(), err.bytes(), code);
    }
  }

  @Test
  void runAndExecPrintWhatTheProcessPrintsAndOnlyTheDetachedRunLeavesItsFifos() {
    run("k1");

    CommandResult r = node.ctr("task", "exec", "--exec-id", "e1", "k1", "sh", "-c", "echo out; echo err >&2; exit 7");

    assertThat(r.stdoutText()).isEqualTo("out\n");
    assertThat(r.stderrText()).isEqualTo("err\n");
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(node.node().fs().list(FIFOS)).singleElement().asString().matches("[0-9]+");
    assertThat(node.leftovers()).isEmpty();
  }

  @Test
  void taskRemovedWithItsFifosAndThenItsContainer() {
    run("k1");
    node.ctr("task", "kill", "-s", "KILL", "k1");
    node.clock().advance(Duration.ofMillis(500));

    CommandResult rm = node.ctr("task", "rm", "k1");
    CommandResult exec = node.ctr("task", "exec", "--exec-id", "e1", "k1", "echo", "hi");
    CommandResult crm = node.ctr("container", "rm", "k1");

    assertThat(rm.stderrText()).matches("time=\"[^\"]+\" level=warning msg=\"task k1 exit with non-zero exit code "
        + "137\"\n");
    assertThat(exec.stderrText()).isEqualTo("ctr: no running task found: task k1 not found: not found\n");
    assertThat(crm.exitCode()).isZero();
    assertThat(node.node().fs().list(FIFOS)).isEmpty();
  }

  @Test
  void killedShimFailsWaitingExecAndContainerdCleansUpAfterIt() {
    run("k2");
    Background exec = new Background("task", "exec", "--exec-id", "long1", "k2", "sh", "-c",
        "echo started; sleep 30; echo done");
    node.clock().advance(Duration.ofSeconds(2));

    node.killShim("k2");
    CommandResult r = exec.await();
    node.clock().advance(Duration.ofSeconds(1));
    CommandResult soon = node.ctr("task", "exec", "--exec-id", "e2", "k2", "echo", "hi");
    node.clock().advance(Duration.ofSeconds(2));
    CommandResult later = node.ctr("task", "exec", "--exec-id", "e3", "k2", "echo", "hi");

    assertThat(r.stdoutText()).isEqualTo("started\n");
    assertThat(r.stderrText()).isEqualTo("ctr: rpc error: code = Unknown desc = ttrpc: closed: unknown\n");
    assertThat(soon.stderrText()).isEqualTo("ctr: no running task found: not found\n");
    assertThat(later.stderrText()).isEqualTo("ctr: no running task found: task k2 not found: not found\n");
    assertThat(node.node().processes().running()).isEmpty();
    assertThat(node.node().fs().list(FIFOS)).as("the run's and the interrupted exec's").hasSize(2);
  }

  @Test
  void killedShimDuringRuncExecLeavesGoRuncsTempFile() {
    run("k4", SLOWRUNC);
    Background exec = new Background("task", "exec", "--exec-id", "w2", "k4", "echo", "hi");
    node.clock().advance(Duration.ofSeconds(2));

    node.killShim("k4");
    CommandResult r = exec.await();
    node.clock().advance(Duration.ofSeconds(10));

    assertThat(r.stderrText()).isEqualTo("ctr: ttrpc: closed: unknown\n");
    assertThat(node.leftovers()).singleElement().asString().matches("/tmp/runc-process[0-9]+");
  }

  @Test
  void stoppedShimEndsCtrOnlyByItsOwnTimeout() {
    run("k1");
    node.stopShim("k1");

    CommandResult r = node.ctr("--timeout", "2s", "task", "exec", "--exec-id", "h1", "k1", "echo", "hi");

    assertThat(r.stderrText()).isEqualTo("ctr: context deadline exceeded\n");
    assertThat(node.clock().elapsed()).isEqualTo(Duration.ofSeconds(2));
    node.contShim("k1");
    assertThat(node.ctr("task", "exec", "--exec-id", "e1", "k1", "echo", "hi").stdoutText()).isEqualTo("hi\n");
  }

  @Test
  void containerdRestartedDuringAnExecLetsTheExecFinishAndServesAgain() {
    run("k1");
    Background exec = new Background("task", "exec", "--exec-id", "long2", "k1", "sh", "-c",
        "echo started; sleep 6; touch /tmp/done");
    node.clock().advance(Duration.ofSeconds(2));

    node.stopContainerd();
    node.startContainerd();
    CommandResult r = exec.await();
    node.clock().advance(Duration.ofSeconds(6));

    assertThat(r.stdoutText()).isEqualTo("started\n");
    assertThat(r.stderrText()).isEqualTo("ctr: rpc error: code = Unavailable desc = transport is closing\n");
    assertThat(node.ctr("task", "exec", "--exec-id", "check", "k1", "ls", "/tmp/done").stdoutText())
        .isEqualTo("/tmp/done\n");
  }

  @Test
  void killedContainerdRefusesCtrUntilStartedAgain() {
    run("k1");

    node.killContainerd();
    CommandResult down = node.ctr("task", "exec", "--exec-id", "e1", "k1", "echo", "hi");
    node.startContainerd();
    CommandResult up = node.ctr("task", "exec", "--exec-id", "e2", "k1", "echo", "hi");

    assertThat(down.stderrText()).isEqualTo("ctr: failed to dial \"/run/containerd/containerd.sock\": connection "
        + "error: desc = \"transport: error while dialing: dial unix /run/containerd/containerd.sock: connect: "
        + "connection refused\"\n");
    assertThat(up.stdoutText()).isEqualTo("hi\n");
  }

  @Test
  void slowRuntimeDelaysTheExecWithNothingTimingOut() {
    run("k4", SLOWRUNC);

    CommandResult r = node.ctr("task", "exec", "--exec-id", "w1", "k4", "echo", "hi");

    assertThat(r.stdoutText()).isEqualTo("hi\n");
    assertThat(node.clock().elapsed()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void criContainerIsReachableWithCtrInItsNamespace() {
    node.runContainer("app", ContainerImage.busybox());

    CommandResult r = node.ctr("-n", "k8s.io", "task", "exec", "--exec-id", "x1", "app", "echo", "hi");

    assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo("hi\n");
  }
}
