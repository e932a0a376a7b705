package io.execsim.testkit.assertions;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.junit.SimulatedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Assertions on what kubectl showed, and how they read when they fail. */
class KubectlResultAssertTest {
  @SimulatedCluster
  SimCluster cluster;

  @AfterEach
  void nothingLeftBehind() {
    assertThat(cluster).hasNoLeftovers();
  }

  @Test
  void commandsOwnExitCodeReadsAsKubectlPrintsIt() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "echo out; echo err >&2; exit 3"));

    assertThat(r).exitedWith(3).printedOnStdout("out\n")
        .printedOnStderr("err\ncommand terminated with exit code 3\n")
        .reportedError("command terminated with exit code 3");
  }

  @Test
  void successPrintsOnlyTheCommandsOutput() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "true"));

    assertThat(r).exitedWith(0).printedNothing().reportedNoError();
  }

  @Test
  void wrongExitCodeNamesBothAndShowsStderr() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "exit 3"));

    assertThatThrownBy(() -> assertThat(r).exitedWith(0)).isInstanceOf(AssertionError.class)
        .hasMessage("Expecting kubectl to exit with 0 but it exited with 3; stderr:\n"
            + "  \"command terminated with exit code 3\\n\"");
  }

  @Test
  void wrongStdoutShowsBothTextsWithTheirLineEnds() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "echo", "hi"));

    assertThatThrownBy(() -> assertThat(r).printedOnStdout("hi")).isInstanceOf(AssertionError.class)
        .hasMessage("Expecting kubectl to print on stdout:\n  \"hi\"\nbut it printed:\n  \"hi\\n\"\nand exited with 0");
  }

  @Test
  void unknownPodIsKubectlsOwnError() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "nosuch", "echo", "hi"));

    assertThat(r).exitedWith(1).reportedError("Error from server (NotFound): pods \"nosuch\" not found");
    assertThatThrownBy(() -> assertThat(r).reportedNoError()).isInstanceOf(AssertionError.class)
        .hasMessage("Expecting kubectl to report no error but it reported:\n"
            + "  \"Error from server (NotFound): pods \\\"nosuch\\\" not found\"\nand exited with 1");
  }

  @Test
  void missingErrorSaysKubectlReportedNone() {
    KubectlResult r = cluster.exec(ExecCommand.of("default", "web", "true"));

    assertThatThrownBy(() -> assertThat(r).reportedError("command terminated with exit code 1"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting kubectl to report the error:\n  \"command terminated with exit code 1\"\n"
            + "but it reported none and exited with 0");
  }
}
