package io.execsim.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks {@link ExecSimExtension} for a deterministic {@link io.execsim.testkit.SimCluster}: on a parameter of a test
 * or lifecycle method, or on a field of that type. An instance field and a parameter get a cluster per test, a
 * static field one per test class; the extension closes each cluster when its test (or class) ends.
 *
 * <p>Without a {@link #factory()} the cluster has {@link #nodes()} nodes, {@code node-1} to {@code node-N}, and a
 * running pod {@code default/web} on {@code node-1} with one busybox container {@code app}. The cluster's random
 * choices follow {@link #seed()}, or the system property {@value #SEED_PROPERTY} when it is set, so that the seed a
 * failure report names replays the run:
 * <pre>{@code
 * class DeployTest {
 *   @Test
 *   void rolloutExecsIntoThePod(@SimulatedCluster SimCluster cluster) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(ExecSimExtension.class)
public @interface SimulatedCluster {
  /** The seed a cluster has unless the annotation or {@value #SEED_PROPERTY} says another. */
  long DEFAULT_SEED = 1;

  /** The system property whose value, a whole number, overrides every annotation's seed: for a rerun. */
  String SEED_PROPERTY = "execsim.seed";

  /** The seed of every random choice of the cluster; {@value #SEED_PROPERTY} overrides it. */
  long seed() default DEFAULT_SEED;

  /** How many nodes the default cluster has, at least 1; only without a {@link #factory()}. */
  int nodes() default 1;

  /**
   * The name of a method of the test class, static or not, without parameters, that returns the
   * {@link io.execsim.testkit.SimCluster.Builder} to build the cluster from; the extension sets its seed. Empty for
   * the default cluster. A cluster per class needs a static method, unless the class has one instance for all its
   * tests.
   */
  String factory() default "";
}
