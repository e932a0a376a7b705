package io.execsim.testkit.jqwik;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Adds {@link ExecSimHook} to a container class (its properties and groups) or to one property: each parameter of
 * a property annotated {@link io.execsim.testkit.junit.SimulatedCluster} gets a fresh deterministic cluster per
 * try, closed when the try ends, and a failed property reports what its shrunk sample's cluster did.
 *
 * <pre>{@code
 * @ExecSimProperties
 * class EchoProperties {
 *   @Property(tries = 50)
 *   void echoEndsAsTheClientSays(@ForAll("plans") FaultPlan plan, @SimulatedCluster SimCluster cluster) {
 *     ExecOutcome outcome = cluster.startExec(ECHO, plan).outcome();
 *     assertThat(outcome.classification()).isNotEqualTo(OutcomeClass.REPORTED_SUCCESS_WITHOUT_RUNNING);
 *   }
 *
 *   @Provide
 *   Arbitrary<FaultPlan> plans() {
 *     return FaultPlans.plans();
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@AddLifecycleHook(ExecSimHook.class)
public @interface ExecSimProperties {
}
