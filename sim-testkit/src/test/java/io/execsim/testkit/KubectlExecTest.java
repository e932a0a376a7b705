package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** kubectl exec end to end, over WebSocket v5 through the apiserver's translator and over SPDY. */
class KubectlExecTest {
  private final SimCluster cluster = SimCluster.builder().seed(3)
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
      .build();

  static Stream<KubectlOptions> protocols() {
    return Stream.of(KubectlOptions.latest(), KubectlOptions.latest().withoutWebSockets());
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void echo(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, ExecCommand.of("default", "web", "echo", "hello"));

    assertThat(r.stderrText()).isEmpty();
    assertThat(r.stdoutText()).isEqualTo("hello\n");
    assertThat(r.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void exitCodeIsReported(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, ExecCommand.of("default", "web", "sh", "-c", "echo err >&2; exit 3"));

    assertThat(r.stderrText()).isEqualTo("err\ncommand terminated with exit code 3\n");
    assertThat(r.exitCode()).isEqualTo(3);
  }

  private static final String MISSING_BINARY = "Internal error occurred: error executing command in container: "
      + "failed to exec in container: failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: exec "
      + "failed: unable to start container process: exec: \"foo\": executable file not found in \\$PATH: unknown\n";

  @Test
  void missingBinaryOverSpdyGivesTheStreamingServersText() {
    KubectlResult r = cluster.exec(KubectlOptions.latest().withoutWebSockets(),
        ExecCommand.of("default", "web", "foo"));

    assertThat(r.stderrText()).matches("error: " + MISSING_BINARY);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void missingBinaryOverWebSocketIsWrappedOnceMoreByTheTranslator() {
    // client-go's v4 decoder turns the kubelet's InternalError into a plain error, which the apiserver's
    // translator wraps in NewInternalError again (streamtranslator.go), so the prefix appears twice
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "foo"));

    assertThat(r.stderrText()).matches("error: Internal error occurred: " + MISSING_BINARY);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void stdinThroughCatEndsWhenStdinCloses(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, ExecCommand.of("default", "web", "cat")
        .withStdin("one\ntwo\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(r.stdoutText()).isEqualTo("one\ntwo\n");
    assertThat(r.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void podNotFound(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, ExecCommand.of("default", "nosuch", "echo"));

    assertThat(r.stderrText()).isEqualTo("Error from server (NotFound): pods \"nosuch\" not found\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
