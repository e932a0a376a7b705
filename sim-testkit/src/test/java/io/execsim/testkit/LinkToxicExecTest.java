package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.net.Direction;
import io.execsim.core.net.Link;
import io.execsim.core.net.toxic.Latency;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.TraceEvent;
import io.execsim.kubectl.ExecCommand;
import io.execsim.kubectl.KubectlOptions;
import io.execsim.kubectl.KubectlResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Toxics on the link from the apiserver to the kubelet, under a whole kubectl exec. */
class LinkToxicExecTest {

  static Stream<KubectlOptions> protocols() {
    return Stream.of(KubectlOptions.latest(), KubectlOptions.latest().withoutWebSockets());
  }

  /** Whether {@code link} was dialed by the apiserver to a kubelet's port. */
  private static boolean toKubelet(Link link) {
    return link.name().startsWith("apiserver->") && link.name().contains(":10250#");
  }

  private static SimCluster cluster() {
    return SimCluster.builder().seed(3)
        .node("node-1")
        .pod(SimPod.running("default", "web", "node-1", "app", ContainerImage.busybox()))
        .build();
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void latencyOnTheKubeletLinkSlowsTheExecByWholeTripsAndNothingElse(KubectlOptions kubectl) {
    Duration plain = echoTakes(kubectl, Duration.ZERO);
    Duration slow = echoTakes(kubectl, Duration.ofMillis(50)).minus(plain);
    Duration slower = echoTakes(kubectl, Duration.ofMillis(100)).minus(plain);

    // the upgrade's request and answer cross the link at least once each way
    assertThat(slow).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(slow.toNanos() % Duration.ofMillis(50).toNanos()).isZero();
    assertThat(slower).isEqualTo(slow.multipliedBy(2));
  }

  /** The virtual time {@code echo hello} takes with {@code latency} each way on the kubelet link. */
  private static Duration echoTakes(KubectlOptions kubectl, Duration latency) {
    try (SimCluster cluster = cluster()) {
      List<Link> slowed = new ArrayList<>();
      if (!latency.isZero()) {
        cluster.network().addLinkListener(link -> {
          if (toKubelet(link)) {
            link.direction(Direction.TO_SERVER).add(new Latency(latency, Duration.ZERO), 0);
            link.direction(Direction.TO_CLIENT).add(new Latency(latency, Duration.ZERO), 0);
            slowed.add(link);
          }
        });
      }
      DeterministicScheduler scheduler = (DeterministicScheduler) cluster.scheduler();
      Duration start = scheduler.elapsed();

      KubectlResult r = cluster.exec(kubectl, ExecCommand.of("default", "web", "echo", "hello"));
      Duration took = scheduler.elapsed().minus(start);

      assertThat(r.stdoutText()).isEqualTo("hello\n");
      assertThat(r.stderrText()).isEmpty();
      assertThat(r.exitCode()).isZero();
      assertThat(slowed).hasSize(latency.isZero() ? 0 : 1);
      scheduler.runUntilIdle();
      assertThat(cluster.network().openLinks()).extracting(Link::name).isEmpty();
      assertThat(cluster.leftovers()).isEmpty();
      return took;
    }
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void aResetTowardTheApiserverWhileTheProcessRunsEndsKubectlWithExitZero(KubectlOptions kubectl) {
    try (SimCluster cluster = cluster()) {
      List<Link> reset = new ArrayList<>();
      cluster.network().addLinkListener(link -> {
        if (toKubelet(link)) {
          reset.add(link);
          cluster.scheduler().schedule(Duration.ofSeconds(5),
              () -> link.direction(Direction.TO_CLIENT).add(new Reset(), 0));
        }
      });
      DeterministicScheduler scheduler = (DeterministicScheduler) cluster.scheduler();

      KubectlResult r = cluster.exec(kubectl,
          ExecCommand.of("default", "web", "sh", "-c", "echo started; sleep 10; echo finished"));

      // what kubectl does today: the dropped streams read as end of stream, so the exec "succeeded"
      assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(5));
      assertThat(r.stdoutText()).isEqualTo("started\n");
      assertThat(r.stderrText()).isEmpty();
      assertThat(r.exitCode()).isZero();
      assertThat(reset).singleElement().satisfies(link -> assertThat(link.isReset()).isTrue());

      // while the process goes on to its end in the container
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(cluster.trace().events(Hop.PROCESS)).filteredOn(e -> e.phase() == Phase.PROCESS_EXITED)
          .extracting(TraceEvent::at).contains(Duration.ofSeconds(10));
      assertThat(cluster.network().openLinks()).extracting(Link::name).isEmpty();
      assertThat(cluster.leftovers()).isEmpty();
    }
  }
}
