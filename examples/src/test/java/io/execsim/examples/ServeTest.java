package io.execsim.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.execsim.testkit.SimCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's serve example: the machine's kubectl against a served cluster. */
class ServeTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void kubectlOfTheMachineExecsIntoTheServedCluster(@TempDir Path dir) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    assumeTrue(Files.isExecutable(kubectl), "no kubectl on this machine");
    Path kubeconfig = dir.resolve("execsim.kubeconfig");
    try (SimCluster cluster = Serve.start(0, kubeconfig)) {
      Process p = new ProcessBuilder(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
          "exec", "web", "--", "echo", "hello")
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
      assertThat(p.exitValue()).isZero();
    }
  }
}
