package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shim's temp dir out of inodes or blocks: the go-runc temp file fails, runc never runs. */
class DiskFullTest {
  private static final String CRI_PREFIX = "rpc error: code = Unknown desc = failed to exec in container: "
      + "failed to start exec \"[0-9a-f]{64}\": ";

  private final SimNode node = SimNode.builder().seed(3).build();

  DiskFullTest() {
    node.runContainer("k2", ContainerImage.busybox());
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(node.leftovers()).isEmpty();
    node.close();
  }

  @Test
  void outOfInodesFailsTheOpen() {
    node.fill("/tmp", SimNode.Resource.INODES);
    int runcCalls = runcStarts();

    assertThatThrownBy(() -> node.execSync("k2", "touch", "/tmp/marker"))
        .hasMessageMatching(CRI_PREFIX + "OCI runtime exec failed: open /tmp/runc-process[0-9]{1,10}: "
            + "no space left on device: unknown");
    assertThat(runcStarts()).isEqualTo(runcCalls);
    assertThat(node.rootfs("k2").exists("/tmp/marker")).isFalse();
  }

  @Test
  void outOfBlocksFailsTheWrite() {
    node.fill("/tmp", SimNode.Resource.BYTES);
    int runcCalls = runcStarts();

    assertThatThrownBy(() -> node.execSync("k2", "touch", "/tmp/marker"))
        .hasMessageMatching(CRI_PREFIX + "OCI runtime exec failed: write /tmp/runc-process[0-9]{1,10}: "
            + "no space left on device: unknown");
    assertThat(runcStarts()).isEqualTo(runcCalls);
    assertThat(node.rootfs("k2").exists("/tmp/marker")).isFalse();
  }

  @Test
  void theNextExecWorksOnceSpaceIsFreed() {
    node.fill("/tmp", SimNode.Resource.INODES);
    assertThatThrownBy(() -> node.execSync("k2", "true"));

    node.free("/tmp");

    assertThat(node.execSync("k2", "echo", "hi-after-free").stdoutText()).isEqualTo("hi-after-free\n");
  }

  @Test
  void ctrSeesTheSameTextUnwrapped() {
    node.fill("/tmp", SimNode.Resource.BYTES);

    CommandResult r = node.ctrExec("k2", "f1", SimNode.spec(ContainerImage.busybox(), "echo", "hi"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderrText()).matches("ctr: OCI runtime exec failed: write /tmp/runc-process[0-9]{1,10}: "
        + "no space left on device: unknown\n");
  }

  @Test
  void aStaleRuntimeErrorHidesTheFullDisk() {
    CommandResult first = node.ctrExec("k2", "e1", SimNode.spec(ContainerImage.busybox(), "nosuchbinary"));
    assertThat(first.exitCode()).isEqualTo(1);
    node.fill("/tmp", SimNode.Resource.INODES);

    CommandResult stale = node.ctrExec("k2", "stale1", SimNode.spec(ContainerImage.busybox(), "true"));

    assertThat(stale.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: unable to start container "
        + "process: exec: \"nosuchbinary\": executable file not found in $PATH: unknown\n");
    node.free("/tmp");
    assertThat(node.ctrExec("k2", "stale2", SimNode.spec(ContainerImage.busybox(), "true")).exitCode()).isZero();
  }

  @Test
  void xdgRuntimeDirTakesPrecedenceOverTmp() {
    try (SimNode xdg = SimNode.builder().shimEnv(java.util.Map.of("XDG_RUNTIME_DIR", "/run/user/0",
        "TMPDIR", "/tmp")).build()) {
      xdg.node().fs().mkdirAll("/run/user/0", 0700);
      xdg.runContainer("k3", ContainerImage.busybox());
      xdg.fill("/tmp", SimNode.Resource.INODES);

      assertThat(xdg.execSync("k3", "echo", "ok").stdoutText()).isEqualTo("ok\n");
      assertThat(xdg.trace().render()).contains("/run/user/0/runc-process");
      assertThat(xdg.leftovers()).isEmpty();
    }
  }

  private int runcStarts() {
    return (int) node.trace().events(Hop.RUNC).stream()
        .filter(e -> e.phase() == Phase.RUNC_STARTED && e.detail().contains(" exec ")).count();
  }

}
