package io.execsim.testkit;

import static io.execsim.testkit.assertions.ExecOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.fs.MountSpec;
import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mounts of the node remounted read-only: the shim's temp dir, containerd's state dir, and a mount inside the
 * container. Whatever writes there fails with {@code read-only file system}, wrapped as each hop wraps it.
 */
class ReadOnlyMountTest {
  private static final ExecCommand MARK = ExecCommand.of("default", "web", "sh", "-c", "echo hi; touch /tmp/mark");
  private static final String STATE = "/run/containerd";
  private static final String TASKS = STATE + "/io.containerd.runtime.v2.task";

  private final SimCluster cluster = Chains.webCluster();
  private final SimNode node = cluster.node("node-1");
  private final String containerId = cluster.containerId("default", "web", "app");

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void readOnlyShimTempDirFailsGoRuncsProcessFile(KubectlOptions kubectl) {
    node.setReadOnly(node.shimTempDir(), true);

    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);

    // go-runc's ioutil.TempFile: the exclusive create fails before runc runs, and log.json has no error line
    assertThat(o).printedOnStderrMatching(runtimeError(kubectl, "OCI runtime exec failed: open "
            + Pattern.quote(node.shimTempDir()) + "/runc-process[0-9]+: read-only file system: unknown"))
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted()
        .createdInContainer();
    assertThat(o.truth().execId()).as("runc was never invoked").isEmpty();
    node.setReadOnly(node.shimTempDir(), false);
    assertThat(cluster.execWithOutcome(kubectl, MARK)).printedOnStdout("hi\n")
        .isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void readOnlyStateDirFailsTheExecFifos(KubectlOptions kubectl) {
    // containerd makes the container's io dir when it creates the container's own FIFOs; here an exec does
    assertThat(cluster.execWithOutcome(kubectl, MARK)).isClassifiedAs(OutcomeClass.SUCCEEDED);
    // on this node containerd's state dir is part of the /run mount, which turns read-only with it
    node.setReadOnly(STATE, true);

    ExecOutcome o = cluster.execWithOutcome(kubectl, MARK);

    // cio.NewFIFOSetInDir: os.MkdirTemp's mkdir in the container's io dir, before containerd calls the shim
    assertThat(o).printedOnStderrMatching(Pattern.quote(kubectlPrefix(kubectl)) + "Internal error occurred: "
            + "error executing command in container: failed to exec in container: failed to create exec "
            + "\"[0-9a-f]{64}\": mkdir " + Pattern.quote(STATE + "/io.containerd.grpc.v1.cri/containers/"
            + containerId + "/io/") + "[0-9]+: read-only file system\n")
        .exitedWith(1)
        .isClassifiedAs(OutcomeClass.FAILED_BEFORE_START)
        .processNeverStarted();
    assertThat(o.truth().execId()).as("runc was never invoked").isEmpty();
    node.setReadOnly(STATE, false);
    assertThat(cluster.execWithOutcome(kubectl, MARK)).printedOnStdout("hi\n")
        .isClassifiedAs(OutcomeClass.SUCCEEDED);
  }

  @ParameterizedTest
  @MethodSource("io.execsim.testkit.Chains#protocols")
  void processWritingIntoAReadOnlyMountOfItsContainerFailsItself(KubectlOptions kubectl) {
    String data = node.bundle(containerId) + "/rootfs/data";
    node.node().fs().mount(data, MountSpec.tmpfs(1 << 20, 64));
    node.node().fs().writeFile(data + "/seed", "seed\n".getBytes(StandardCharsets.UTF_8), 0644);
    node.setReadOnly(data, true);

    ExecOutcome o = cluster.execWithOutcome(kubectl, ExecCommand.of("default", "web", "sh", "-c",
        "cat /data/seed; echo x > /data/out; touch /data/mark; touch /tmp/mark"));

    // the exec itself works: the program reads the mount, its writes fail with busybox's strerror texts
    assertThat(o).printedOnStdout("seed\n")
        .printedOnStderr("sh: can't create /data/out: Read-only file system\n"
            + "touch: /data/mark: Read-only file system\n")
        .exitedWith(0)
        .isClassifiedAs(OutcomeClass.SUCCEEDED)
        .processEndedWith(ExitStatus.exited(0))
        .createdInContainer("/tmp/mark");
    node.setReadOnly(data, false);
    node.node().fs().removeAll(data + "/seed");
  }

  @Test
  void readOnlyTaskStateDirFailsRuncsLogBeforeAnythingElse() {
    try (SimNode n = SimNode.builder().seed(9).mount(TASKS, MountSpec.tmpfs(1 << 20, 1024)).build()) {
      n.runContainer("s1", ContainerImage.busybox());
      byte[] logBefore = n.node().fs().readFile(n.bundle("s1") + "/log.json");
      n.setReadOnly(TASKS, true);

      CommandResult r = n.ctrExec("s1", "a1", SimNode.spec(ContainerImage.busybox(), "echo", "hi"));

      // main.go configLogrus: runc cannot open log.json for appending, so it exits 1 before it looks at the
      // container; the pid file is never reached, and the log the shim reads holds no error line
      assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: runc did not terminate successfully: "
          + "exit status 1: unknown\n");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(n.node().fs().readFile(n.bundle("s1") + "/log.json")).isEqualTo(logBefore);
      assertThatThrownBy(() -> n.execSync("s1", "echo", "hi"))
          .hasMessageMatching("rpc error: code = Unknown desc = failed to exec in container: failed to start exec "
              + "\"[0-9a-f]{64}\": OCI runtime exec failed: runc did not terminate successfully: exit status 1: "
              + "unknown");
      n.setReadOnly(TASKS, false);
      assertThat(n.ctrExec("s1", "a2", SimNode.spec(ContainerImage.busybox(), "echo", "hi")).stdoutText())
          .isEqualTo("hi\n");
      assertThat(n.leftovers()).isEmpty();
    }
  }

  @Test
  void readOnlyTaskStateDirShowsAStaleRuntimeError() {
    try (SimNode n = SimNode.builder().seed(9).mount(TASKS, MountSpec.tmpfs(1 << 20, 1024)).build()) {
      n.runContainer("s1", ContainerImage.busybox());
      n.ctrExec("s1", "e1", SimNode.spec(ContainerImage.busybox(), "nosuchbinary"));
      n.setReadOnly(TASKS, true);

      CommandResult r = n.ctrExec("s1", "a1", SimNode.spec(ContainerImage.busybox(), "true"));

      // the shim's runtimeError: the last error line of log.json wins, however old
      assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: unable to start container "
          + "process: exec: \"nosuchbinary\": executable file not found in $PATH: unknown\n");
      n.setReadOnly(TASKS, false);
    }
  }

  @Test
  void readOnlyShimTempDirFailsATerminalsConsoleSocketFirst() {
    try (SimNode n = SimNode.builder().seed(9).build()) {
      n.runContainer("t1", ContainerImage.busybox());
      n.setReadOnly(n.shimTempDir(), true);

      CommandResult r = n.ctrExecTty("t1", "e1", SimNode.spec(ContainerImage.busybox(), "echo", "hi")
          .withTerminal(true), TerminalSizeQueue.of());

      // go-runc's NewTempConsoleSocket: ioutil.TempDir fails before the process file is written
      assertThat(r.stderrText()).matches("ctr: failed to create runc console socket: mkdir "
          + Pattern.quote(n.shimTempDir()) + "/pty[0-9]+: read-only file system: unknown\n");
      assertThat(n.leftovers()).isEmpty();
      n.setReadOnly(n.shimTempDir(), false);
    }
  }

  private static String kubectlPrefix(KubectlOptions kubectl) {
    return "error: " + (kubectl.webSockets() ? "Internal error occurred: " : "");
  }

  /** kubectl's line, as a pattern, for a runtime error of the shim that matches {@code regex}. */
  private static String runtimeError(KubectlOptions kubectl, String regex) {
    return Pattern.quote(kubectlPrefix(kubectl)) + "Internal error occurred: error executing command in container: "
        + "failed to exec in container: failed to start exec \"[0-9a-f]{64}\": " + regex + "\n";
  }
}
