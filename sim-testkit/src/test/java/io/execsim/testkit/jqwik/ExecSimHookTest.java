package io.execsim.testkit.jqwik;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import io.execsim.testkit.junit.SimulatedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EventConditions;
import org.junit.platform.testkit.engine.TestExecutionResultConditions;

/** The hook gives each try a fresh cluster, closes it, and reports a failed property's shrunk sample once. */
class ExecSimHookTest {
  @TempDir
  Path dir;

  @Test
  void givesEachTryAFreshDefaultClusterAndClosesItAfterTheTry() {
    EngineExecutionResults results = withoutSeedProperty(() -> JqwikFixtures.run(
        JqwikFixtures.LeavesAnExecRunning.class, dir));

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    List<SimCluster> clusters = JqwikFixtures.CLUSTERS;
    assertThat(clusters).hasSize(5);
    assertThat(Set.copyOf(clusters)).as("a cluster per try").hasSize(5);
    assertThat(clusters).extracting(c -> c.containerId("default", "web", "app"))
        .as("the default cluster with seed 1").containsOnly(containerIdWithSeed(SimulatedCluster.DEFAULT_SEED));
    clusters.forEach(ExecSimHookTest::assertClosed);
    assertThat(JqwikFixtures.EXECS).extracting(e -> e.truth().isRunning())
        .as("execs ended by closing their clusters").containsOnly(false);
  }

  @Test
  void honoursTheAnnotationsSeedAndFactory() {
    EngineExecutionResults results = withoutSeedProperty(() -> JqwikFixtures.run(
        JqwikFixtures.SeedAndFactory.class, dir));

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    List<SimCluster> clusters = JqwikFixtures.CLUSTERS;
    assertThat(clusters).hasSize(4);
    assertThat(clusters.get(0).containerId("default", "web", "app")).isEqualTo(containerIdWithSeed(7));
    assertThat(clusters.get(1).nodeNames()).containsExactly("worker");
    assertThat(clusters.get(1).containerId("tools", "api", "main")).isNotEmpty();
    clusters.forEach(c -> assertThat(c).hasNoLeftovers());
  }

  @Test
  void seedPropertyOverridesTheAnnotation() {
    String before = System.setProperty(SimulatedCluster.SEED_PROPERTY, "42");
    EngineExecutionResults results;
    try {
      results = JqwikFixtures.run(JqwikFixtures.SeedAndFactory.class, dir);
    } finally {
      restore(before);
    }

    results.testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(JqwikFixtures.CLUSTERS.get(0).containerId("default", "web", "app"))
        .isEqualTo(containerIdWithSeed(42));
  }

  @Test
  void parameterOfAnotherTypeFailsThePropertyNamingTheRule() {
    EngineExecutionResults results = JqwikFixtures.run(JqwikFixtures.WrongType.class, dir);

    results.testEvents().assertThatEvents().haveExactly(1, EventConditions.finishedWithFailure(
        TestExecutionResultConditions.message(m -> m.contains(
            "@SimulatedCluster needs a parameter of type SimCluster: java.lang.String"))));
  }

  @Test
  void failedPropertyReportsItsShrunkSampleOnceWithSeedPlansTraceAndReplay() {
    EngineExecutionResults results = withoutSeedProperty(() -> JqwikFixtures.run(
        JqwikFixtures.FailsUnderKubeletRestart.class, dir));

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    FaultPlan restart = FaultPlan.parse("kubelet restart at phase client-request");
    assertThat(JqwikFixtures.RESULTS.get(0).shrunkSample().orElseThrow().parameters()).first().isEqualTo(restart);
    assertThat(JqwikFixtures.PLANS.stream().filter(p -> !p.faults().isEmpty()).count())
        .as("failing tries while shrinking").isGreaterThan(1);
    List<String> reports = results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(pairs -> pairs.containsKey(ExecSimHook.REPORT_KEY))
        .map(pairs -> pairs.get(ExecSimHook.REPORT_KEY))
        .collect(Collectors.toList());
    assertThat(reports).hasSize(1);
    String report = reports.get(0);
    SimCluster last = lastClusterRunning(restart);
    assertThat(report)
        .startsWith("execsim: property FailsUnderKubeletRestart#survivesTheKubelet failed\n")
        .contains("replay: jqwik tries the failing sample first on the next run (SAMPLE_FIRST, its default"
            + " after-failure mode); to pin this run: @Property(seed = \"42\") with -Dexecsim.seed=1"
            + " -Dtest=FailsUnderKubeletRestart#survivesTheKubelet\n")
        .contains(", seed 1\nfault plans:\n  plan 1:\n    kubelet restart at phase client-request\ntrace:\n")
        .contains("mermaid:\n```mermaid\nsequenceDiagram\n")
        .contains(last.trace().render().lines().findFirst().orElseThrow())
        .contains("fault-fired");
    String jqwikReport = results.allEvents().reportingEntryPublished().stream()
        .flatMap(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().values().stream())
        .filter(text -> text.contains("Shrunk Sample"))
        .findFirst().orElseThrow();
    assertThat(jqwikReport).as("jqwik's own report, with the footnote of the shrunk sample")
        .contains("#1 execsim cluster of parameter ")
        .contains(": seed 1, fault plans [kubelet restart at phase client-request]");
    assertThat(JqwikFixtures.CLUSTERS).allSatisfy(c ->
        assertThat(c.node("node-1").node().processes().running()).as("processes after close").isEmpty());
    assertThat(JqwikFixtures.EXECS).extracting(e -> e.truth().isRunning()).containsOnly(false);
  }

  /** The cluster of the last try that ran {@code plan}. */
  private static SimCluster lastClusterRunning(FaultPlan plan) {
    int i = JqwikFixtures.PLANS.lastIndexOf(plan);
    assertThat(i).as("a try ran %s", plan).isNotNegative();
    return JqwikFixtures.CLUSTERS.get(i);
  }

  /** The id of container {@code app} of the default cluster built with {@code seed}. */
  private static String containerIdWithSeed(long seed) {
    try (SimCluster reference = SimCluster.builder().seed(seed).node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox())).build()) {
      return reference.containerId("default", "web", "app");
    }
  }

  /** A closed cluster's containers have no process left, and nothing of its execs is left on its nodes. */
  private static void assertClosed(SimCluster cluster) {
    assertThat(cluster.node("node-1").node().processes().running()).as("processes after close").isEmpty();
    assertThat(cluster.leftovers()).isEmpty();
  }

  private static EngineExecutionResults withoutSeedProperty(Supplier<EngineExecutionResults> run) {
    String before = System.clearProperty(SimulatedCluster.SEED_PROPERTY);
    try {
      return run.get();
    } finally {
      restore(before);
    }
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(SimulatedCluster.SEED_PROPERTY);
    } else {
      System.setProperty(SimulatedCluster.SEED_PROPERTY, before);
    }
  }
}
