package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.Errno;
import io.execsim.core.fault.RuncEffect;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.TraceEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** runc failing on its pid file or its log, and a slow runc, as ctr on the node sees them. */
class RuncFaultsOnNodeTest {
  private static final ContainerImage IMAGE = ContainerImage.busybox();

  private final SimNode node = SimNode.builder().seed(11).build();
  private final String bundle = node.bundle("k1");

  RuncFaultsOnNodeTest() {
    node.runContainer("k1", IMAGE);
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(node.leftovers()).isEmpty();
    node.close();
  }

  private CommandResult ctr(String execId, String... args) {
    return node.ctrExec("k1", execId, SimNode.spec(IMAGE, args));
  }

  @Test
  void pidFileOutOfSpaceKillsTheProcessBeforeItRuns() {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.ENOSPC);

    CommandResult r = ctr("e1", "sh", "-c", "echo started >&2; sleep 2; echo finished");

    // the reference's runc with a full pid-file dir: killed before it prints anything, .e1.pid left behind
    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: write " + bundle
        + "/.e1.pid: no space left on device: unknown\n");
    assertThat(r.stdoutText()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(node.node().fs().readFile(bundle + "/.e1.pid")).isEmpty();
    assertThat(processEvents()).anyMatch(e -> e.phase() == Phase.PROCESS_EXITED
        && e.detail().endsWith("killed by SIGKILL"));
    assertThat(processEvents()).noneMatch(e -> e.phase() == Phase.PROCESS_RUNNING
        && e.detail().contains("echo started"));
  }

  @Test
  void leakedTempPidFileFailsTheSameExecIdOnceMore() {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.ENOSPC);
    ctr("e1", "true");

    CommandResult again = ctr("e1", "true");

    // inferred: createPidFile opens .<name> with O_EXCL, and the failed run left it there
    assertThat(again.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: open " + bundle
        + "/.e1.pid: file exists: unknown\n");
    node.node().fs().remove(bundle + "/.e1.pid");
    assertThat(ctr("e1", "echo", "hi").stdoutText()).isEqualTo("hi\n");
  }

  @Test
  void pidFileThatCannotBeCreatedLeavesNothing() {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.EACCES);

    CommandResult r = ctr("e1", "true");

    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: open " + bundle
        + "/.e1.pid: permission denied: unknown\n");
    assertThat(node.node().fs().list(bundle)).noneMatch(name -> name.contains("e1.pid"));
  }

  @Test
  void pidFileFailureInATerminalExecReadsTheSame() {
    node.failNextRuncExec(RuncEffect.File.PID_FILE, Errno.EIO);

    CommandResult r = node.ctrExecTty("k1", "t1", SimNode.spec(IMAGE, "echo", "hi").withTerminal(true),
        TerminalSizeQueue.of());

    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: write " + bundle
        + "/.t1.pid: input/output error: unknown\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void logThatCannotBeOpenedShowsAStaleRuntimeError() {
    ctr("e1", "nosuchbinary");
    node.failNextRuncExec(RuncEffect.File.LOG, Errno.EACCES);

    CommandResult r = ctr("e2", "true");

    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: unable to start container "
        + "process: exec: \"nosuchbinary\": executable file not found in $PATH: unknown\n");
    assertThat(ctr("e3", "true").exitCode()).isZero();
  }

  @Test
  void logThatCannotBeWrittenLosesOnlyTheErrorLine() {
    byte[] logBefore = node.node().fs().readFile(bundle + "/log.json");
    node.failNextRuncExec(RuncEffect.File.LOG, Errno.EIO);
    assertThat(ctr("e1", "echo", "hi").stdoutText()).as("runc logs nothing when the exec works").isEqualTo("hi\n");
    node.failNextRuncExec(RuncEffect.File.LOG, Errno.EIO);

    CommandResult r = ctr("e2", "nosuchbinary");

    // logrus reports the lost line on runc's stderr, which the shim does not read without a terminal
    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: runc did not terminate successfully: "
        + "exit status 255: unknown\n");
    assertThat(node.node().fs().readFile(bundle + "/log.json")).isEqualTo(logBefore);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void slowRuncDelaysCtrByItsDelayInVirtualTimeOnly() {
    Duration start = node.clock().elapsed();
    assertThat(ctr("w0", "echo", "hi").stdoutText()).isEqualTo("hi\n");
    Duration usual = node.clock().elapsed().minus(start);
    node.setRuncDelay(Duration.ofHours(1));

    start = node.clock().elapsed();
    CommandResult r = ctr("w1", "echo", "hi");

    // the reference's slow runc: the exec works, later by the delay; nothing in ctr, containerd or the shim times
    // it out
    assertThat(r.stdoutText()).isEqualTo("hi\n");
    assertThat(node.clock().elapsed().minus(start)).isEqualTo(usual.plusHours(1));
    node.setRuncDelay(Duration.ZERO);
  }

  @Test
  void slowRuncDelaysEveryCommand() {
    node.setRuncDelay(Duration.ofSeconds(3));
    Duration start = node.clock().elapsed();

    CommandResult r = node.runc("--root", node.runcRoot(), "pause", "k1");

    assertThat(r.exitCode()).isZero();
    assertThat(node.clock().elapsed().minus(start)).isEqualTo(Duration.ofSeconds(3));
    node.setRuncDelay(Duration.ZERO);
    assertThat(node.runc("--root", node.runcRoot(), "resume", "k1").exitCode()).isZero();
  }

  private List<TraceEvent> processEvents() {
    return node.trace().events(Hop.PROCESS);
  }
}
