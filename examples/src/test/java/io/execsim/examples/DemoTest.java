package io.execsim.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoTest {

  @Test
  void demoRunsTheWholeChainAndPrintsTheTrace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("hello\n(exit code 0, over websocket)")
        .contains("command terminated with exit code 3\n(exit code 3, over SPDY/3.1)")
        .contains("piped through cat\n(exit code 0, over websocket)")
        .containsPattern("OCI runtime exec failed: open /tmp/runc-process[0-9]+: no space left on device: unknown")
        .contains("kubelet     cri-exec")
        .contains("sequenceDiagram");
  }

  @Test
  void runtimeDemoRuns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RuntimeDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("hello from the container\n(exit code 0)");
  }
}
