package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.net.Link;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 64 MiB of standard output through every hop: the process's pipe, the shim, the FIFO, the CRI streaming server,
 * the kubelet's proxy, the apiserver (its translator over WebSocket, its proxy over SPDY) and kubectl. The bytes must
 * arrive whole and in order; only their length and digest are compared, never the bytes in a failure message.
 */
class LargeOutputTest {
  private static final int SIZE = 64 << 20;
  private static final String LINE = "0123456789abcdef\n";

  private final SimCluster cluster = SimCluster.builder().seed(11)
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
      .build();

  @AfterEach
  void nothingLeftBehind() {
    // the closes under way reach the other ends
    ((DeterministicScheduler) cluster.scheduler()).advance(Duration.ZERO);
    assertThat(cluster.leftovers()).isEmpty();
    assertThat(cluster.network().openLinks()).extracting(Link::name).isEmpty();
    cluster.close();
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"WebSocket", "SPDY"})
  void sixtyFourMebibytesOfStdoutArriveIntact(String protocol) {
    KubectlOptions kubectl = protocol.equals("SPDY") ? KubectlOptions.latest().withoutWebSockets()
        : KubectlOptions.latest();

    KubectlResult r = cluster.exec(kubectl, ExecCommand.of("default", "web", "sh", "-c",
        "yes " + LINE.strip() + " | head -c " + SIZE));

    assertThat(r.stderrText()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout().length).isEqualTo(SIZE);
    assertThat(sha256(r.stdout())).as("SHA-256 of stdout").isEqualTo(sha256(expected()));
  }

  /** What {@code yes} writes, cut at {@link #SIZE} bytes. */
  private static byte[] expected() {
    byte[] line = LINE.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[SIZE];
    for (int i = 0; i < SIZE; i += line.length) {
      System.arraycopy(line, 0, out, i, Math.min(line.length, SIZE - i));
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
