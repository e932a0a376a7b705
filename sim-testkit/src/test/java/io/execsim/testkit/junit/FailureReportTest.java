package io.execsim.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A failed test leaves the seed, the trace, its diagram and the replay command, as report entries and a file. */
class FailureReportTest {
  private String seedBefore;

  @BeforeEach
  void noSeedPropertyAndNoEarlierFixtures() {
    seedBefore = System.clearProperty(SimulatedCluster.SEED_PROPERTY);
    ExtensionFixtures.reset();
  }

  @AfterEach
  void restoreSeedProperty() {
    if (seedBefore != null) {
      System.setProperty(SimulatedCluster.SEED_PROPERTY, seedBefore);
    }
  }

  @Test
  void failedTestPublishesSeedTraceDiagramAndReplay() throws IOException {
    EngineExecutionResults results = ExecSimExtensionTest.run(ExtensionFixtures.FailingExec.class);

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    List<Map<String, String>> entries = entries(results);
    assertThat(entries).hasSize(1);
    Map<String, String> e = entries.get(0);
    assertThat(e).containsEntry("execsim.seed", "1")
        .containsEntry("execsim.replay", "rerun with -Dexecsim.seed=1 "
            + "-Dtest='ExtensionFixtures$FailingExec#execThatFails'")
        .containsEntry("execsim.faultPlans", "none")
        .containsKey("execsim.cluster");
    assertThat(e.get("execsim.cluster")).startsWith("parameter ");
    assertThat(e.get("execsim.trace")).contains("kubectl", "client-request", "exec default/web -- sh -c exit 3",
        "streams-closed", "exit=3");
    assertThat(e.get("execsim.mermaid")).startsWith("sequenceDiagram\n").contains("participant kubectl");

    Path file = reportFile(ExtensionFixtures.FailingExec.class, "execThatFails");
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(text).contains("ExtensionFixtures$FailingExec#execThatFails failed: ",
          "Expecting kubectl to exit with 0 but it exited with 3",
          "seed: 1\n",
          "rerun with -Dexecsim.seed=1 -Dtest='ExtensionFixtures$FailingExec#execThatFails'\n",
          "fault plans:\n  none\n",
          e.get("execsim.trace").lines().findFirst().orElseThrow(),
          "```mermaid\nsequenceDiagram\n");
    } finally {
      deleteReports(ExtensionFixtures.FailingExec.class);
    }
    ExtensionFixtures.CLUSTERS.forEach(c -> assertThat(c.leftovers()).isEmpty());
  }

  @Test
  void reportNamesTheSeedOfARerun() throws IOException {
    System.setProperty(SimulatedCluster.SEED_PROPERTY, "42");
    EngineExecutionResults results;
    try {
      results = ExecSimExtensionTest.run(ExtensionFixtures.FailingExec.class);
    } finally {
      System.clearProperty(SimulatedCluster.SEED_PROPERTY);
      deleteReports(ExtensionFixtures.FailingExec.class);
    }

    assertThat(entries(results)).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("execsim.seed", "42");
      assertThat(e.get("execsim.replay")).startsWith("rerun with -Dexecsim.seed=42 -Dtest=");
    });
  }

  @Test
  void clusterOfTheWholeClassIsReplayedByRerunningTheClass() throws IOException {
    EngineExecutionResults results;
    try {
      results = ExecSimExtensionTest.run(ExtensionFixtures.FailingWithClassCluster.class);
    } finally {
      deleteReports(ExtensionFixtures.FailingWithClassCluster.class);
    }

    results.testEvents().assertStatistics(s -> s.failed(1));
    assertThat(entries(results)).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("execsim.cluster", "field shared").containsEntry("execsim.seed", "5")
          .containsEntry("execsim.replay", "rerun with -Dexecsim.seed=5 "
              + "-Dtest='ExtensionFixtures$FailingWithClassCluster'");
      assertThat(e.get("execsim.trace")).contains("exec default/web -- false");
    });
  }

  @Test
  void reportOfATopLevelClassReplaysItAsMavenNamesItAndListsThePlans() throws IOException {
    EngineExecutionResults results;
    try {
      results = ExecSimExtensionTest.run(TopLevelFixture.class);
    } finally {
      deleteReports(TopLevelFixture.class);
    }

    results.testEvents().assertStatistics(s -> s.failed(1));
    assertThat(entries(results)).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("execsim.cluster", "field cluster")
        .containsEntry("execsim.seed", "9")
        .containsEntry("execsim.replay", "rerun with -Dexecsim.seed=9 -Dtest=TopLevelFixture#execUnderAPlanFails")
        .containsEntry("execsim.faultPlans", "exec 2:\n" + TopLevelFixture.PLAN.print().stripTrailing()));
  }

  @Test
  void reportWithoutFaultsOrEventsSaysSo() {
    FailureReport r = new FailureReport("T#m", "boom", "field c", 3, List.of(FaultPlan.of(), FaultPlan.of()), "",
        "sequenceDiagram\n", "rerun with -Dexecsim.seed=3 -Dtest=T#m");

    assertThat(r.entry()).containsEntry("execsim.faultPlans", "none").containsEntry("execsim.trace", "(no events)");
    assertThat(r.text()).isEqualTo("""
        execsim: T#m failed: boom
        cluster: field c
        seed: 3
        rerun with -Dexecsim.seed=3 -Dtest=T#m
        fault plans:
          none
        trace:
          (no events)
        mermaid:
        ```mermaid
        sequenceDiagram
        ```
        """);
  }

  @Test
  void passingTestsPublishNothing() {
    EngineExecutionResults results = ExecSimExtensionTest.run(ExtensionFixtures.ByInstanceField.class);

    results.testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(entries(results)).isEmpty();
    assertThat(reportFile(ExtensionFixtures.ByInstanceField.class, "first")).doesNotExist();
  }

  private static List<Map<String, String>> entries(EngineExecutionResults results) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .toList();
  }

  private static Path reportFile(Class<?> fixture, String method) {
    return reportDir(fixture).resolve(method + ".txt");
  }

  private static Path reportDir(Class<?> fixture) {
    String basedir = System.getProperty("basedir", "");
    return Path.of(basedir).resolve("target").resolve("execsim").resolve(fixture.getName());
  }

  /** The fixtures fail on purpose; their reports would mislead whoever reads CI's files. */
  private static void deleteReports(Class<?> fixture) throws IOException {
    Path dir = reportDir(fixture);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }
}
