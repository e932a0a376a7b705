package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.process.TerminalSize;
import io.execsim.core.remotecommand.TerminalSizeQueue;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl exec -it} end to end, over WebSocket v5 through the apiserver's translator and over SPDY: the
 * terminal's sizes travel to the container's pty, and its output comes back as a terminal writes it.
 */
class KubectlTerminalTest {
  private final SimCluster cluster = SimCluster.builder().seed(3)
      .node("node-1")
      .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()
          .withProgram("/usr/local/bin/window", TerminalExecTest.WINDOW)))
      .build();

  static Stream<KubectlOptions> protocols() {
    return Stream.of(KubectlOptions.latest(), KubectlOptions.latest().withoutWebSockets());
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster.leftovers()).isEmpty();
    cluster.close();
  }

  private static ExecCommand interactive(TerminalSizeQueue sizes, String... command) {
    return ExecCommand.of("default", "web", command).withTerminal(sizes).withTty();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void programSeesTheTerminalsSizeAndItsResize(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, interactive(TerminalExecTest.widenedAfterASecond(cluster.scheduler()),
        "window"));

    assertThat(r.stdoutText()).isEqualTo("80x24\r\n120x40\r\n");
    assertThat(r.stderrText()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void echoOnATerminalEndsItsLineWithCarriageReturn(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, interactive(TerminalSizeQueue.of(new TerminalSize(80, 24)),
        "sh", "-c", "echo hi"));

    assertThat(r.stdoutText()).isEqualTo("hi\r\n");
    assertThat(r.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void errorOutputAndExitCodeOnATerminal(KubectlOptions kubectl) {
    KubectlResult r = cluster.exec(kubectl, interactive(TerminalSizeQueue.of(new TerminalSize(80, 24)),
        "sh", "-c", "echo oops >&2; exit 3"));

    assertThat(r.stdoutText()).isEqualTo("oops\r\n");
    assertThat(r.stderrText()).isEqualTo("command terminated with exit code 3\n");
    assertThat(r.exitCode()).isEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void typedKeysAreEchoedAndControlCInterruptsTheProgram(KubectlOptions kubectl) {
    // what kubectl's raw terminal sends as one types: the return key is \r, ^C is byte 3
    KubectlResult r = cluster.exec(kubectl, interactive(TerminalSizeQueue.of(new TerminalSize(80, 24)), "cat")
        .typing("hello\rwor\u007fld\r\u0003".getBytes(StandardCharsets.UTF_8)));

    // the terminal echoes what is typed and rubs out the typo; the keys arrive in one write, so ^C flushes the two
    // lines before cat has read them, and kills it
    assertThat(r.stdoutText()).isEqualTo("hello\r\nwor\b \bld\r\n^C");
    assertThat(r.stderrText()).isEqualTo("command terminated with exit code 130\n");
    assertThat(r.exitCode()).isEqualTo(130);
  }

  @Test
  void ttyWithoutInteractiveInputIsDroppedSilently() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "echo hi").withTty());

    assertThat(r.stdoutText()).isEqualTo("hi\n");
    assertThat(r.stderrText()).isEmpty();
  }

  @Test
  void ttyWithPipedInputIsDroppedWithKubectlsWarning() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "cat")
        .withStdin("piped\n".getBytes(StandardCharsets.UTF_8)).withTty());

    assertThat(r.stdoutText()).isEqualTo("piped\n");
    assertThat(r.stderrText())
        .isEqualTo("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    assertThat(r.exitCode()).isZero();
  }
}
