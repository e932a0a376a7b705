package io.execsim.testkit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fault.FaultPlan;
import io.execsim.core.fault.KubeletEffect;
import io.execsim.core.fault.LinkEffect;
import io.execsim.core.trace.Phase;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.ContainerImage;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.SimExec;
import io.execsim.testkit.SimPod;
import io.execsim.testkit.junit.SimulatedCluster;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * jqwik containers that the tests of the jqwik support run through JUnit's {@code EngineTestKit}, most failing on
 * purpose. They run only there: elsewhere they are skipped.
 */
final class JqwikFixtures {
  /** What the fixtures run: a command that outlives its try, so closing the cluster must end it. */
  static final ExecCommand SLEEP = ExecCommand.of("default", "web", "sleep", "3600");

  /** The results of the properties run, in order. */
  static final List<PropertyExecutionResult> RESULTS = new CopyOnWriteArrayList<>();
  /** The clusters the properties were given, in order. */
  static final List<SimCluster> CLUSTERS = new CopyOnWriteArrayList<>();
  /** The execs the properties started, in order. */
  static final List<SimExec> EXECS = new CopyOnWriteArrayList<>();
  /** The plans the tries ran with, in order. */
  static final List<FaultPlan> PLANS = new CopyOnWriteArrayList<>();

  private static final AtomicBoolean RUNNING = new AtomicBoolean();

  private JqwikFixtures() {
  }

  /** Runs {@code fixture} in a jqwik engine of its own, its failure database in {@code dir}. */
  static EngineExecutionResults run(Class<?> fixture, Path dir) {
    RESULTS.clear();
    CLUSTERS.clear();
    EXECS.clear();
    PLANS.clear();
    RUNNING.set(true);
    try {
      return EngineTestKit.engine("jqwik")
          .configurationParameter("jqwik.reporting.usejunitplatform", "true")
          .configurationParameter("jqwik.database", dir.resolve("jqwik-database").toString())
          .selectors(DiscoverySelectors.selectClass(fixture))
          .execute();
    } finally {
      RUNNING.set(false);
    }
  }

  /** Skips a fixture unless {@link #run} runs it. */
  static final class OnlyInEngineTestKit implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return RUNNING.get() ? SkipResult.doNotSkip() : SkipResult.skip("a fixture of the jqwik support's tests");
    }
  }

  /** Keeps each property's result, shrunk sample included. */
  static final class KeepResult implements AroundPropertyHook {
    @Override
    public PropagationMode propagateTo() {
      return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
      PropertyExecutionResult result = property.execute();
      RESULTS.add(result);
      return result;
    }
  }

  /** Marks a fixture container. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @AddLifecycleHook(OnlyInEngineTestKit.class)
  @AddLifecycleHook(KeepResult.class)
  @interface Fixture {
  }

  /** Fails on any plan with a kubelet restart. */
  @Fixture
  static class FailsOnKubeletRestart {
    @Property(tries = 1000, seed = "7", shrinking = ShrinkingMode.FULL)
    void noKubeletRestart(@ForAll("plans") FaultPlan plan) {
      assertThat(plan.faults()).noneMatch(f -> f.effect() instanceof KubeletEffect.Restart);
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
      return FaultPlans.plans();
    }
  }

  /** Fails on any plan with a link latency. */
  @Fixture
  static class FailsOnLatency {
    @Property(tries = 1000, seed = "7", shrinking = ShrinkingMode.FULL)
    void noLatency(@ForAll("plans") FaultPlan plan) {
      assertThat(plan.faults()).noneMatch(f -> f.effect() instanceof LinkEffect.Latency);
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
      return FaultPlans.plans();
    }
  }

  /** Fails on every command. */
  @Fixture
  static class FailsOnEveryCommand {
    @Property(tries = 100, seed = "7", shrinking = ShrinkingMode.FULL)
    void noCommand(@ForAll("commands") ExecCommand command) {
      assertThat(command).isNull();
    }

    @Provide
    Arbitrary<ExecCommand> commands() {
      return Commands.commands();
    }
  }

  /** Fails on a shell that exits with a status other than 0. */
  @Fixture
  static class FailsOnNonZeroExit {
    @Property(tries = 1000, seed = "7", shrinking = ShrinkingMode.FULL)
    void exitsZero(@ForAll("commands") ExecCommand command) {
      assertThat(command.command()).noneMatch(word -> word.matches("exit [1-9][0-9]*"));
    }

    @Provide
    Arbitrary<ExecCommand> commands() {
      return Commands.commands();
    }
  }

  /** Starts a long exec in each try's cluster and leaves it running. */
  @Fixture
  @ExecSimProperties
  static class LeavesAnExecRunning {
    @Property(tries = 5, seed = "7")
    void startsAnExec(@ForAll int ignored, @SimulatedCluster SimCluster cluster) {
      assertThat(cluster.plans()).as("a fresh cluster has run nothing").isEmpty();
      assertThat(cluster.trace().events()).as("a fresh cluster has traced no exec")
          .noneMatch(e -> e.phase() == Phase.CLIENT_REQUEST);
      CLUSTERS.add(cluster);
      EXECS.add(cluster.startExec(SLEEP));
      cluster.clock().advance(Duration.ofSeconds(1));
      assertThat(EXECS.get(EXECS.size() - 1).process()).as("the exec's process").isPresent();
    }
  }

  /** A cluster of its own seed, and one from a factory of the class. */
  @Fixture
  @ExecSimProperties
  static class SeedAndFactory {
    @Property(tries = 2, seed = "7")
    void buildsBoth(@ForAll int ignored, @SimulatedCluster(seed = 7) SimCluster seven,
        @SimulatedCluster(factory = "toolsPod") SimCluster tools) {
      CLUSTERS.add(seven);
      CLUSTERS.add(tools);
    }

    SimCluster.Builder toolsPod() {
      return SimCluster.builder().node("worker").pod(SimPod.running("tools", "api", "worker", "main",
          ContainerImage.busybox()));
    }
  }

  /** Asks for a cluster in a parameter of another type. */
  @Fixture
  @ExecSimProperties
  static class WrongType {
    @Property(tries = 1)
    void wantsAString(@ForAll int ignored, @SimulatedCluster String cluster) {
    }
  }

  /** Fails under every plan with a kubelet restart, with a long exec running in the cluster. */
  @Fixture
  @ExecSimProperties
  static class FailsUnderKubeletRestart {
    @Property(tries = 100, seed = "42", shrinking = ShrinkingMode.FULL)
    void survivesTheKubelet(@ForAll("plans") FaultPlan plan, @SimulatedCluster SimCluster cluster) {
      CLUSTERS.add(cluster);
      PLANS.add(plan);
      EXECS.add(cluster.startExec(SLEEP, plan));
      cluster.clock().advance(Duration.ofSeconds(2));
      assertThat(plan.faults()).noneMatch(f -> f.effect() instanceof KubeletEffect.Restart);
    }

    @Provide
    Arbitrary<FaultPlan> plans() {
      return FaultPlans.plans().onlyOn(TargetKind.KUBELET);
    }
  }
}
