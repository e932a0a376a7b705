package io.execsim.testkit.junit;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventConditions;
import org.junit.platform.testkit.engine.TestExecutionResultConditions;

/** The extension builds, injects and closes clusters, with the seed the annotation or the system property names. */
class ExecSimExtensionTest {
  @SimulatedCluster
  SimCluster web;

  @BeforeEach
  void forgetEarlierFixtures() {
    ExtensionFixtures.reset();
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(web).hasNoLeftovers();
  }

  @Test
  void injectsTheDefaultClusterIntoAField() {
    assertThat(web.exec(ExecCommand.of("default", "web", "echo", "hi"))).exitedWith(0).printedOnStdout("hi\n");
    long seed = Long.getLong(SimulatedCluster.SEED_PROPERTY, SimulatedCluster.DEFAULT_SEED);
    assertThat(web.containerId("default", "web", "app")).isEqualTo(containerIdWithSeed(seed));
  }

  @Test
  void injectsAClusterOfItsOwnIntoAParameter(@SimulatedCluster(nodes = 3) SimCluster three) {
    assertThat(three).isNotSameAs(web);
    assertThat(three.node("node-3").name()).isEqualTo("node-3");
    assertThat(three.exec(ExecCommand.of("default", "web", "echo", "hi"))).exitedWith(0).printedOnStdout("hi\n");
    assertThat(three).hasNoLeftovers();
  }

  @Test
  void buildsTheClusterThatAFactoryOfTheTestClassDeclares(@SimulatedCluster(factory = "apiPod") SimCluster api) {
    assertThat(api.exec(ExecCommand.of("tools", "api", "echo", "ready"))).exitedWith(0).printedOnStdout("ready\n");
    assertThat(api).hasNoLeftovers();
  }

  SimCluster.Builder apiPod() {
    return SimCluster.builder().node("worker").pod(SimPod.running("tools", "api", "worker", "main",
        ContainerImage.busybox()));
  }

  @Test
  void givesEachTestItsOwnClusterInAnInstanceFieldAndClosesIt() {
    EngineExecutionResults results = run(ExtensionFixtures.ByInstanceField.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    List<SimCluster> seen = ExtensionFixtures.CLUSTERS;
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isNotSameAs(seen.get(1));
    seen.forEach(ExecSimExtensionTest::assertClosed);
  }

  @Test
  void sharesAStaticFieldsClusterAcrossTheClassAndClosesItAfterwards() {
    EngineExecutionResults results = run(ExtensionFixtures.ByStaticField.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    List<SimCluster> seen = ExtensionFixtures.CLUSTERS;
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isSameAs(seen.get(1));
    assertClosed(seen.get(0));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void closingARealtimeClusterEndsItsThread() throws InterruptedException {
    EngineExecutionResults results = run(ExtensionFixtures.RealtimeFactory.class);

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertThat(ExtensionFixtures.THREADS).hasSize(1);
    Thread thread = ExtensionFixtures.THREADS.get(0);
    // the realtime scheduler's thread is a real one: wait for it to end
    thread.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(thread.isAlive()).as("thread %s alive after the cluster closed", thread.getName()).isFalse();
    assertThat(ExtensionFixtures.CLUSTERS.get(0).leftovers()).isEmpty();
  }

  @Test
  void annotationSeedHoldsWithoutTheProperty() {
    String before = System.clearProperty(SimulatedCluster.SEED_PROPERTY);
    try {
      run(ExtensionFixtures.ByParameter.class).testEvents().assertStatistics(s -> s.succeeded(2));
    } finally {
      restore(before);
    }

    assertThat(ExtensionFixtures.CLUSTERS).extracting(c -> c.containerId("default", "web", "app"))
        .containsExactly(containerIdWithSeed(SimulatedCluster.DEFAULT_SEED), containerIdWithSeed(7));
  }

  @Test
  void seedPropertyOverridesEveryAnnotation() {
    String before = System.setProperty(SimulatedCluster.SEED_PROPERTY, "42");
    try {
      run(ExtensionFixtures.ByParameter.class).testEvents().assertStatistics(s -> s.succeeded(2));
    } finally {
      restore(before);
    }

    String expected = containerIdWithSeed(42);
    assertThat(ExtensionFixtures.CLUSTERS).extracting(c -> c.containerId("default", "web", "app"))
        .containsExactly(expected, expected);
  }

  @Test
  void seedPropertyThatIsNoNumberFailsTheTestWithTheRule() {
    String before = System.setProperty(SimulatedCluster.SEED_PROPERTY, "0x2a");
    EngineExecutionResults results;
    try {
      results = run(ExtensionFixtures.ByParameter.class);
    } finally {
      restore(before);
    }

    results.testEvents().assertThatEvents().haveExactly(2, EventConditions.finishedWithFailure(
        TestExecutionResultConditions.message(m -> m.contains("execsim.seed must be a whole number: 0x2a"))));
    assertThat(ExtensionFixtures.CLUSTERS).isEmpty();
  }

  @Test
  void factoryTheClassDoesNotHaveFailsTheTestNamingIt() {
    EngineExecutionResults results = run(ExtensionFixtures.UnknownFactory.class);

    results.testEvents().assertThatEvents().haveExactly(1, EventConditions.finishedWithFailure(
        TestExecutionResultConditions.message(m -> m.contains("@SimulatedCluster names a factory that "
            + ExtensionFixtures.UnknownFactory.class.getName() + " does not have: noSuchFactory()"))));
  }

  @Test
  void nodesBesideAFactoryFailTheTest() {
    EngineExecutionResults results = run(ExtensionFixtures.NodesAndFactory.class);

    results.testEvents().assertThatEvents().haveExactly(1, EventConditions.finishedWithFailure(
        TestExecutionResultConditions.message(m -> m.contains(
            "@SimulatedCluster takes nodes or a factory, not both: nodes=2, factory=small"))));
  }

  /** Runs a fixture class in a JUnit engine of its own. */
  static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(ExtensionFixtures.ENABLED, "true")
        .selectors(DiscoverySelectors.selectClass(fixture))
        .execute();
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

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(SimulatedCluster.SEED_PROPERTY);
    } else {
      System.setProperty(SimulatedCluster.SEED_PROPERTY, before);
    }
  }
}
