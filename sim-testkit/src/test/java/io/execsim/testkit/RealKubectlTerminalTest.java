package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl exec -it} by this machine's kubectl binaries against a simulated cluster served on loopback, each in
 * a pseudo-terminal of util-linux {@code script}, so that kubectl finds a terminal on its input and sends its sizes:
 * 1.33 over WebSocket v5, 1.29 over SPDY.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealKubectlTerminalTest {
  private static final Path SCRIPT = Path.of("/usr/bin/script");
  private static final Path GCLOUD_BIN = Path.of("/usr/lib/google-cloud-sdk/bin");

  private static SimCluster cluster;
  private static Path kubeconfig;

  @BeforeAll
  static void serve() throws IOException {
    cluster = SimCluster.builder().realtime().seed(5)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()
            .withProgram("/usr/local/bin/window", TerminalExecTest.WINDOW)))
        .build();
    kubeconfig = cluster.serve(0).writeKubeconfig(Files.createTempFile("execsim-kubeconfig", ".yaml"), "default");
  }

  @AfterAll
  static void close() throws IOException {
    cluster.close();
    Files.deleteIfExists(kubeconfig);
  }

  static Stream<Path> kubectls() {
    return Stream.of("1.29", "1.33").map(v -> GCLOUD_BIN.resolve("kubectl." + v));
  }

  /** What a terminal showed, and the exit code of the shell that ran in it. */
  record Shown(String text, int exitCode) {
  }

  /** Runs {@code shell}, with {@code KUBECTL} standing for the binary, in a new 80x24 pty of {@code script}. */
  private static Shown inTerminal(Path binary, String shell) throws Exception {
    assumeTrue(Files.isExecutable(binary), "not installed: " + binary);
    assumeTrue(Files.isExecutable(SCRIPT), "not installed: " + SCRIPT);
    String kubectl = binary + " --kubeconfig " + kubeconfig;
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qec",
        "stty rows 24 cols 80; " + shell.replace("KUBECTL", kubectl), "/dev/null");
    pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
    File out = File.createTempFile("kubectl", ".out");
    pb.redirectOutput(out).redirectErrorStream(true);
    Process p = pb.start();
    // script's input stays open: at its end script would type ^D into the terminal, and kubectl would send it
    boolean finished = p.waitFor(60, TimeUnit.SECONDS);
    p.getOutputStream().close();
    String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
    out.delete();
    if (!finished) {
      p.destroyForcibly();
      throw new AssertionError(binary + " did not finish within 60 s; the terminal showed " + text);
    }
    return new Shown(text, p.exitValue());
  }

  // The commands outlast kubectl's first resize message: a simulated exec can end before it is sent, and then the
  // server has closed the streams under it (as the real server closes them after the status) and kubectl logs
  // "v3.go:79] EOF" on the terminal.

  @ParameterizedTest
  @MethodSource("kubectls")
  void echoEndsItsLineWithCarriageReturn(Path binary) throws Exception {
    Shown r = inTerminal(binary, "KUBECTL exec -it web -- sh -c 'sleep 1; echo hi'");

    assertThat(r.text()).isEqualTo("hi\r\n");
    assertThat(r.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("kubectls")
  void programSeesTheSizeAndAResizeOfKubectlsTerminal(Path binary) throws Exception {
    // a background job's stdin is /dev/null, so stty resizes the terminal through /dev/tty; the kernel then sends
    // kubectl its SIGWINCH. One side only: stty sets rows and columns one at a time, a SIGWINCH each.
    Shown r = inTerminal(binary, "(sleep 2; stty cols 120 </dev/tty) & KUBECTL exec -it web -- window; wait");

    assertThat(r.text()).isEqualTo("80x24\r\n120x24\r\n");
    assertThat(r.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("kubectls")
  void exitCodeAndKubectlsMessage(Path binary) throws Exception {
    Shown r = inTerminal(binary, "KUBECTL exec -it web -- sh -c 'sleep 1; exit 3'");

    // kubectl restores the terminal before printing, so its own newline is translated by the outer pty
    assertThat(r.text()).isEqualTo("command terminated with exit code 3\r\n");
    assertThat(r.exitCode()).isEqualTo(3);
  }
}
