package io.execsim.testkit.junit;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;

import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimPod;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test classes that the extension's tests run through JUnit's {@code EngineTestKit}, some failing on purpose. They
 * run only there: elsewhere the configuration parameter {@value #ENABLED} is unset and they are disabled.
 */
final class ExtensionFixtures {
  /** The configuration parameter that enables the fixtures. */
  static final String ENABLED = "execsim.fixtures";

  /** The clusters the fixtures saw, in the order they saw them. */
  static final List<SimCluster> CLUSTERS = new CopyOnWriteArrayList<>();
  /** The threads that ran the fixtures' realtime clusters. */
  static final List<Thread> THREADS = new CopyOnWriteArrayList<>();

  private ExtensionFixtures() {
  }

  /** Forgets what earlier runs saw. */
  static void reset() {
    CLUSTERS.clear();
    THREADS.clear();
  }

  /** Disables a class unless {@value #ENABLED} is {@code true}. */
  static final class OnlyInEngineTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(ENABLED).filter("true"::equals).isPresent()
          ? ConditionEvaluationResult.enabled("run by EngineTestKit")
          : ConditionEvaluationResult.disabled("a fixture of ExecSimExtensionTest");
    }
  }

  /** Marks a fixture class. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @ExtendWith(OnlyInEngineTestKit.class)
  @interface Fixture {
  }

  @Fixture
  static class ByInstanceField {
    @SimulatedCluster
    SimCluster cluster;

    @Test
    void first() {
      CLUSTERS.add(cluster);
      assertThat(cluster.exec(ExecCommand.of("default", "web", "echo", "one"))).exitedWith(0);
    }

    @Test
    void second() {
      CLUSTERS.add(cluster);
      assertThat(cluster.exec(ExecCommand.of("default", "web", "echo", "two"))).exitedWith(0);
    }
  }

  @Fixture
  static class ByStaticField {
    @SimulatedCluster
    static SimCluster cluster;

    @Test
    void first() {
      CLUSTERS.add(cluster);
    }

    @Test
    void second() {
      CLUSTERS.add(cluster);
    }
  }

  @Fixture
  static class ByParameter {
    @Test
    void defaultSeed(@SimulatedCluster SimCluster cluster) {
      CLUSTERS.add(cluster);
    }

    @Test
    void seedSeven(@SimulatedCluster(seed = 7) SimCluster cluster) {
      CLUSTERS.add(cluster);
    }
  }

  @Fixture
  static class RealtimeFactory {
    static SimCluster.Builder realtime() {
      return SimCluster.builder().realtime()
          .node("node-1")
          .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()));
    }

    @Test
    void runsOnItsOwnThread(@SimulatedCluster(factory = "realtime") SimCluster cluster) {
      CLUSTERS.add(cluster);
      THREADS.add(cluster.scheduler().await(CompletableFuture.supplyAsync(Thread::currentThread,
          cluster.scheduler())));
    }
  }

  @Fixture
  static class FailingExec {
    @Test
    void execThatFails(@SimulatedCluster SimCluster cluster) {
      CLUSTERS.add(cluster);
      assertThat(cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "exit 3"))).exitedWith(0);
    }
  }

  @Fixture
  static class FailingWithClassCluster {
    @SimulatedCluster(seed = 5)
    static SimCluster shared;

    @Test
    void execThatFails() {
      CLUSTERS.add(shared);
      assertThat(shared.exec(ExecCommand.of("default", "web", "false"))).exitedWith(0);
    }
  }

  @Fixture
  static class UnknownFactory {
    @Test
    void neverRuns(@SimulatedCluster(factory = "noSuchFactory") SimCluster cluster) {
      CLUSTERS.add(cluster);
    }
  }

  @Fixture
  static class NodesAndFactory {
    SimCluster.Builder small() {
      return SimCluster.builder().node("small");
    }

    @Test
    void neverRuns(@SimulatedCluster(nodes = 2, factory = "small") SimCluster cluster) {
      CLUSTERS.add(cluster);
    }
  }
}
