package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fs.MountSpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** containerd's state dir full: runc cannot write the exec's pid file nor, wholly, its log line. */
class StateDirFullTest {
  private static final String STATE = "/run/containerd/io.containerd.runtime.v2.task";
  private static final String NOSUCH_LINE = "{\"level\":\"error\",\"msg\":\"exec failed: unable to start "
      + "container process: exec: \\\"nosuchbinary\\\": executable file not found in $PATH\","
      + "\"time\":\"2026-12-03T12:00:00Z\"}\n";

  private final SimNode node = SimNode.builder().seed(9).mount(STATE, MountSpec.tmpfs(1 << 20, 1024)).build();
  private final ContainerImage image = ContainerImage.busybox();

  StateDirFullTest() {
    node.runContainer("s1", image);
  }

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void fullStateDirWithAnEmptyLogReportsRuncsExitStatus() {
    node.fill(STATE, SimNode.Resource.BYTES);

    CommandResult r = node.ctrExec("s1", "a2", SimNode.spec(image, "echo", "hi"));

    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: runc did not terminate successfully: "
        + "exit status 255: unknown\n");
    assertThat(node.node().fs().exists(node.bundle("s1") + "/.a2.pid")).isTrue();
    assertThat(node.node().fs().readFile(node.bundle("s1") + "/.a2.pid")).isEmpty();
  }

  @Test
  void aTruncatedLogLineMakesTheErrorUnreadableFromThenOn() {
    String log = node.bundle("s1") + "/log.json";
    node.node().fs().writeFile(log, padded(4005), 0644);
    node.fill(STATE, SimNode.Resource.BYTES);

    CommandResult b1 = node.ctrExec("s1", "b1", SimNode.spec(image, "echo", "hi"));

    assertThat(b1.stderrText()).isEqualTo("ctr: OCI runtime exec failed: unable to retrieve OCI runtime error "
        + "(unexpected EOF): runc did not terminate successfully: exit status 255: unknown\n");
    assertThat(node.node().fs().readFile(log)).hasSize(4096);

    node.free(STATE);
    assertThat(node.ctrExec("s1", "r1", SimNode.spec(image, "echo", "hi")).stdoutText()).isEqualTo("hi\n");
    CommandResult r2 = node.ctrExec("s1", "r2", SimNode.spec(image, "nosuchbinary"));
    assertThat(r2.stderrText()).isEqualTo("ctr: OCI runtime exec failed: unable to retrieve OCI runtime error "
        + "(invalid character 'l' after object key:value pair): runc did not terminate successfully: "
        + "exit status 255: unknown\n");
  }

  /** Complete error lines of runc, {@code size} bytes in all. */
  private static byte[] padded(int size) {
    StringBuilder b = new StringBuilder();
    while (b.length() + 2 * NOSUCH_LINE.length() <= size) {
      b.append(NOSUCH_LINE);
    }
    int pad = size - b.length() - NOSUCH_LINE.length();
    b.append(NOSUCH_LINE.replace("$PATH\"", "$PATH" + " ".repeat(pad) + "\""));
    assertThat(b.length()).isEqualTo(size);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
