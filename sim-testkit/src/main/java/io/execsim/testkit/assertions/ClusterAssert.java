package io.execsim.testkit.assertions;

import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.testkit.SimCluster;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link SimCluster} as a whole: that its execs left nothing behind. */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, SimCluster> {
  /**
   * How long {@link #hasNoLeftovers()} lets virtual time run for the chain to clean up: past the kubelet's
   * streaming-connection idle timeout (4h by default), the longest timer a finished exec can leave.
   */
  private static final Duration IDLE_LIMIT = Duration.ofHours(5);

  private ClusterAssert(SimCluster actual) {
    super(actual, ClusterAssert.class);
  }

  /** Assertions on {@code actual}. */
  public static ClusterAssert assertThat(SimCluster actual) {
    return new ClusterAssert(actual);
  }

  /**
   * Runs the simulation until no task is left, for at most 5 hours of virtual time, then checks that nothing is
   * left that the real chain removes; see {@link #hasNoLeftovers(Duration)}.
   */
  public ClusterAssert hasNoLeftovers() {
    return hasNoLeftovers(IDLE_LIMIT);
  }

  /**
   * Runs the simulation until no task is left, for at most {@code idleLimit} of virtual time, then checks that
   * nothing is left that the real chain removes: no task still due (a process that never ends, a connection that
   * keeps pinging), and none of {@link SimCluster#leftovers()} (FIFO directories, {@code runc-process} temp files,
   * console socket directories, connections open at both ends). A realtime cluster has no virtual time to run: it
   * is checked as it is.
   */
  public ClusterAssert hasNoLeftovers(Duration idleLimit) {
    isNotNull();
    if (idleLimit.isNegative()) {
      throw new IllegalArgumentException("the idle limit must not be negative: " + idleLimit);
    }
    int due = 0;
    if (actual.scheduler() instanceof DeterministicScheduler d) {
      actual.runUntilIdle(idleLimit);
      due = d.pending();
    }
    List<String> left = actual.leftovers();
    if (due > 0) {
      failWithMessage("Expecting the cluster to leave nothing behind but after %s of virtual time %d task(s) were "
          + "still due (a process that never ends, or a connection that keeps pinging); it left:\n%s",
          Texts.duration(idleLimit), due, Texts.lines(left));
    }
    if (!left.isEmpty()) {
      failWithMessage("Expecting the cluster to leave nothing behind but, once idle, it left:\n%s", Texts.lines(left));
    }
    return this;
  }
}
