package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.cri.ExecSyncResponse;
import io.execsim.core.error.RpcCode;
import io.execsim.core.error.RpcError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecSyncTest {
  private static final String EXEC_ID = "\"[0-9a-f]{64}\"";

  private final SimNode node = SimNode.builder().seed(11).build();

  ExecSyncTest() {
    node.runContainer("c1", ContainerImage.busybox()
        .withFile("/bin/noexec.sh", "#!/bin/sh\necho noexec\n", 0644)
        .withFile("/data/greeting", "hello from a file\n", 0644));
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(node.leftovers()).isEmpty();
    node.close();
  }

  @Test
  void echoHello() {
    ExecSyncResponse r = node.execSync("c1", "echo", "hello");

    assertThat(r.stdoutText()).isEqualTo("hello\n");
    assertThat(r.stderrText()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void shellWritesBothStreamsAndExitsWithItsCode() {
    ExecSyncResponse r = node.execSync("c1", "sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(r.stdoutText()).isEqualTo("out\n");
    assertThat(r.stderrText()).isEqualTo("err\n");
    assertThat(r.exitCode()).isEqualTo(3);
  }

  @Test
  void catReadsAFileOfTheContainer() {
    assertThat(node.execSync("c1", "cat", "/data/greeting").stdoutText()).isEqualTo("hello from a file\n");
  }

  @Test
  void catPassesInputThrough() {
    CommandResult r = node.streamExec("c1", "line one\nline two\n".getBytes(StandardCharsets.UTF_8), "cat");

    assertThat(r.stdoutText()).isEqualTo("line one\nline two\n");
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void eightMebibytesThroughCatArriveIntact() throws Exception {
    byte[] input = new byte[8 << 20];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i * 7 + (i >>> 13));
    }

    CommandResult r = node.streamExec("c1", input, "cat");

    assertThat(r.exitCode()).isZero();
    assertThat(sha256(r.stdout())).isEqualTo(sha256(input));
  }

  @Test
  void missingBinaryGivesTheRealText() {
    assertThatThrownBy(() -> node.execSync("c1", "foo"))
        .isInstanceOfSatisfying(RpcError.class, e -> assertThat(e.code()).isEqualTo(RpcCode.UNKNOWN))
        .hasMessageMatching("rpc error: code = Unknown desc = failed to exec in container: failed to start exec "
            + EXEC_ID + ": OCI runtime exec failed: exec failed: unable to start container process: "
            + "exec: \"foo\": executable file not found in \\$PATH: unknown");
  }

  @Test
  void nonExecutableFileIsPermissionDenied() {
    assertThatThrownBy(() -> node.execSync("c1", "/bin/noexec.sh"))
        .hasMessageEndingWith("OCI runtime exec failed: exec failed: unable to start container process: "
            + "exec: \"/bin/noexec.sh\": permission denied: unknown");
  }

  @Test
  void unknownContainerIsNotFound() {
    assertThatThrownBy(() -> node.execSync("nosuch", "echo"))
        .isInstanceOfSatisfying(RpcError.class, e -> assertThat(e.code()).isEqualTo(RpcCode.NOT_FOUND))
        .hasMessage("rpc error: code = NotFound desc = failed to exec in container: failed to find container "
            + "\"nosuch\" in store: not found");
  }

  @Test
  void emptyCommandIsRefusedByRunc() {
    assertThatThrownBy(() -> node.execSync("c1", Duration.ZERO, List.of()))
        .hasMessageEndingWith("OCI runtime exec failed: exec failed: args must not be empty: unknown");
  }

  @Test
  void timeoutKillsTheCommand() {
    assertThatThrownBy(() -> node.execSync("c1", Duration.ofSeconds(2), List.of("sleep", "60")))
        .hasMessage("rpc error: code = DeadlineExceeded desc = failed to exec in container: timeout 2s exceeded: "
            + "context deadline exceeded");
    assertThat(node.node().processes().running("c1")).hasSize(1);
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
