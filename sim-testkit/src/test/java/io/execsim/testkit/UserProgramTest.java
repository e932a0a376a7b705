package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.io.Streams;
import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UserProgramTest {

  /** Reads its input, waits a minute of simulated time, records what it read in a file, exits 4. */
  static final Program INJECTOR = ctx -> Streams.readAll(ctx.stdin(), 1 << 20)
      .thenCompose(input -> ctx.sleep(Duration.ofMinutes(1)).thenApply(v -> input))
      .thenCompose(input -> {
        ctx.files().writeFile("/var/run/injected", input, 0644);
        return ctx.print("injected " + input.length + " bytes\n");
      })
      .thenApply(v -> 4);

  @Test
  void javaProgramReadsWritesSleepsAndExits() {
    try (SimNode node = SimNode.builder().build()) {
      node.runContainer("app", ContainerImage.busybox()
          .withFile("/var/run/.keep", "", 0644)
          .withProgram("/usr/local/bin/inject", INJECTOR));

      CommandResult r = node.streamExec("app", "cpu-load".getBytes(StandardCharsets.UTF_8), "inject");

      assertThat(r.stdoutText()).isEqualTo("injected 8 bytes\n");
      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(node.rootfs("app").readFile("/var/run/injected")).asString().isEqualTo("cpu-load");
      assertThat(node.clock().elapsed()).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    }
  }

  @Test
  void shellFindsTheProgramThroughPath() {
    try (SimNode node = SimNode.builder().build()) {
      node.runContainer("app", ContainerImage.busybox()
          .withProgram("/usr/local/bin/hello", ctx -> ctx.print("hi " + ctx.args().get(1) + "\n").thenApply(v -> 0)));

      assertThat(node.execSync("app", "sh", "-c", "hello world && hello again").stdoutText())
          .isEqualTo("hi world\nhi again\n");
    }
  }
}
