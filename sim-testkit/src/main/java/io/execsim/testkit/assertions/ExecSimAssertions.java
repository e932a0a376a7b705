package io.execsim.testkit.assertions;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.trace.Trace;
import io.execsim.kubectl.KubectlResult;
import io.execsim.testkit.SimCluster;

/**
 * The entry point of execsim's assertions: {@code import static io.execsim.testkit.assertions.ExecSimAssertions
 * .assertThat;} beside AssertJ's own {@code assertThat}, and the overloads pick the assertion by type.
 * <pre>{@code
 * assertThat(cluster.exec(ExecCommand.of("default", "web", "sh", "-c", "exit 3")))
 *     .exitedWith(3).reportedError("command terminated with exit code 3");
 * assertThat(cluster.trace()).hasPhase(Hop.RUNC, Phase.RUNC_STARTED);
 * assertThat(cluster).hasNoLeftovers();
 * }</pre>
 */
public final class ExecSimAssertions {

  private ExecSimAssertions() {
  }

  /** Assertions on an exec's outcome: what kubectl showed beside what happened in the container. */
  public static ExecOutcomeAssert assertThat(ExecOutcome actual) {
    return ExecOutcomeAssert.assertThat(actual);
  }

  /** Assertions on what the user of {@code kubectl exec} saw. */
  public static KubectlResultAssert assertThat(KubectlResult actual) {
    return KubectlResultAssert.assertThat(actual);
  }

  /** Assertions on what the hops recorded. */
  public static TraceAssert assertThat(Trace actual) {
    return TraceAssert.assertThat(actual);
  }

  /** Assertions on a whole cluster. */
  public static ClusterAssert assertThat(SimCluster actual) {
    return ClusterAssert.assertThat(actual);
  }
}
