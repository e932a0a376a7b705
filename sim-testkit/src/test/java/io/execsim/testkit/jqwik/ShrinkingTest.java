package io.execsim.testkit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.kubectl.ExecCommand;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.lifecycle.FalsifiedSample;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A failing plan or command shrinks, with jqwik's own shrinking, to the plainest one that still fails. */
class ShrinkingTest {
  @TempDir
  Path dir;

  @Test
  void planWithAKubeletRestartShrinksToTheRestartAtTheFirstPhase() {
    List<Object> shrunk = shrunkSample(JqwikFixtures.FailsOnKubeletRestart.class, "kubelet restart");

    assertThat(shrunk).containsExactly(FaultPlan.parse("kubelet restart at phase client-request"));
  }

  @Test
  void planWithALatencyShrinksToNoDelayOnTheFirstLinkForOneSecond() {
    List<Object> shrunk = shrunkSample(JqwikFixtures.FailsOnLatency.class, "latency");

    assertThat(shrunk).containsExactly(FaultPlan.parse("link client-apiserver latency 0s at phase client-request"
        + " for 1s"));
  }

  @Test
  void anyFailingCommandShrinksToEchoA() {
    List<Object> shrunk = shrunkSample(JqwikFixtures.FailsOnEveryCommand.class, "echo");

    ExecCommand command = (ExecCommand) shrunk.get(0);
    assertThat(command.command()).containsExactly("echo", "a");
    assertThat(command.container()).contains("app");
  }

  @Test
  void failingExitShrinksToExitOne() {
    List<Object> shrunk = shrunkSample(JqwikFixtures.FailsOnNonZeroExit.class, "exit 1");

    assertThat(((ExecCommand) shrunk.get(0)).command()).containsExactly("sh", "-c", "exit 1");
  }

  /**
   * Runs {@code fixture}, whose one property must fail, and answers the sample jqwik shrank to, after checking that
   * jqwik's own report names it ({@code printed} in its shrunk sample).
   */
  private List<Object> shrunkSample(Class<?> fixture, String printed) {
    EngineExecutionResults results = JqwikFixtures.run(fixture, dir);

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    assertThat(JqwikFixtures.RESULTS).hasSize(1);
    PropertyExecutionResult result = JqwikFixtures.RESULTS.get(0);
    assertThat(result.status()).isEqualTo(PropertyExecutionResult.Status.FAILED);
    FalsifiedSample sample = result.shrunkSample().orElseThrow();
    String report = results.allEvents().reportingEntryPublished().stream()
        .flatMap(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().values().stream())
        .filter(text -> text.contains("Shrunk Sample"))
        .findFirst().orElseThrow();
    assertThat(report.substring(report.indexOf("Shrunk Sample"), report.indexOf("Original Sample")))
        .contains(printed);
    return sample.parameters();
  }
}
