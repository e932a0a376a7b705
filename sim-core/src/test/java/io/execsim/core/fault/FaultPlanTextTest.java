package io.execsim.core.fault;

import static io.execsim.core.fault.ComponentName.KUBELET;
import static io.execsim.core.fault.ComponentName.RUNC;
import static io.execsim.core.fault.Direction.TOWARD_CLIENT;
import static io.execsim.core.fault.Direction.TOWARD_PROCESS;
import static io.execsim.core.fault.LinkName.APISERVER_KUBELET;
import static io.execsim.core.fault.LinkName.CLIENT_APISERVER;
import static io.execsim.core.fault.LinkName.KUBELET_CONTAINERD;
import static io.execsim.core.fault.LinkName.KUBELET_STREAMING;
import static io.execsim.core.fault.LinkName.STDOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.Errno;
import io.execsim.core.process.Signal;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultPlanTextTest {
  private static final FaultPlan EXAMPLE = FaultPlan.of(
      new Fault(Target.component(KUBELET), new KubeletEffect.Restart(Duration.ZERO),
          Trigger.atPhase(Phase.PROCESS_RUNNING), Duration.ZERO),
      new Fault(Target.link(APISERVER_KUBELET, TOWARD_CLIENT),
          new LinkEffect.Latency(Duration.ofMillis(200), Duration.ofMillis(50)), Trigger.atStart(),
          Duration.ofSeconds(10)),
      new Fault(Target.mount("/tmp"), new MountEffect.FullInodes(), Trigger.atPhase(Phase.TASK_EXEC), Duration.ZERO),
      new Fault(Target.component(RUNC), new RuncEffect.FailsToStart(Errno.ENOSPC, RuncEffect.File.PID_FILE),
          Trigger.atCall(1), Duration.ZERO),
      new Fault(Target.link(STDOUT), new LinkEffect.LimitData(4096), Trigger.atByte(1024, TOWARD_CLIENT),
          Duration.ZERO));

  private static final String EXAMPLE_TEXT = """
      kubelet restart at phase process-running
      link apiserver-kubelet toward-client latency 200ms jitter 50ms at time 0s for 10s
      mount /tmp full inodes at phase task-exec
      runc fails-to-start ENOSPC pid-file at call 1
      link stdout limit-data 4KiB at byte 1KiB toward-client
      """;

  @Test
  void printsOneFaultALine() {
    assertThat(EXAMPLE.print()).isEqualTo(EXAMPLE_TEXT);
  }

  @Test
  void parsesWhatItPrints() {
    assertThat(FaultPlan.parse(EXAMPLE_TEXT)).isEqualTo(EXAMPLE);
  }

  @Test
  void printsAnEmptyPlanAsNothing() {
    assertThat(FaultPlan.of().print()).isEmpty();
    assertThat(FaultPlan.parse("")).isEqualTo(FaultPlan.of());
  }

  @Test
  void leavesOutDefaultsWhenPrinting() {
    FaultPlan plan = FaultPlan.of(
        new Fault(Target.link(CLIENT_APISERVER), new LinkEffect.Latency(Duration.ofMillis(1500), Duration.ZERO),
            Trigger.atStart(), Duration.ZERO),
        new Fault(Target.link(KUBELET_STREAMING, TOWARD_PROCESS),
            new LinkEffect.Slicer(64, 0, Duration.ZERO), Trigger.atTime(Duration.ofSeconds(90)), Duration.ZERO));

    assertThat(plan.print()).isEqualTo("""
        link client-apiserver latency 1.5s at time 0s
        link kubelet-streaming toward-process slicer 64 at time 1m30s
        """);
  }

  @Test
  void printsEveryParameterThatIsNotZero() {
    FaultPlan plan = FaultPlan.of(
        new Fault(Target.link(KUBELET_STREAMING), new LinkEffect.Slicer(1024, 100, Duration.ofNanos(1500)),
            Trigger.atConnection(2), Duration.ofMinutes(1)),
        new Fault(Target.link(APISERVER_KUBELET), new LinkEffect.Bandwidth(65536), Trigger.atStart(), Duration.ZERO),
        new Fault(Target.component(KUBELET), new KubeletEffect.Restart(Duration.ofSeconds(2)),
            Trigger.atPhase(Phase.OUTPUT_FLOWING), Duration.ZERO),
        new Fault(Target.process(), new ProcessEffect.Killed(Signal.SIGKILL), Trigger.atPhase(Phase.OUTPUT_FLOWING),
            Duration.ZERO),
        new Fault(Target.process(), new ProcessEffect.ExitsEarly(3), Trigger.atTime(Duration.ofMillis(250)),
            Duration.ZERO),
        new Fault(Target.link(KUBELET_CONTAINERD), new LinkEffect.Reset(), Trigger.atCall(1), Duration.ZERO),
        new Fault(Target.container(), new ContainerEffect.Paused(), Trigger.atPhase(Phase.PROCESS_RUNNING),
            Duration.ofSeconds(5)));

    assertThat(plan.print()).isEqualTo("""
        link kubelet-streaming slicer 1KiB variation 100 delay 1.5µs at connection 2 for 1m0s
        link apiserver-kubelet bandwidth 64KiB/s at time 0s
        kubelet restart downtime 2s at phase output-flowing
        process killed SIGKILL at phase output-flowing
        process exits-early code 3 at time 250ms
        link kubelet-containerd reset at call 1
        container paused at phase process-running for 5s
        """);
    assertThat(FaultPlan.parse(plan.print())).isEqualTo(plan);
  }

  @Test
  void readsWhatAPersonWritesAsThePrinterWould() {
    FaultPlan written = FaultPlan.parse("""
        # a kubelet that restarts once the process runs
        kubelet   restart at phase process-running

        link stdout limit-data 1024 at byte 100
        link apiserver-kubelet both latency 1m30s at time 0\r
        link apiserver-kubelet toward-client stall at byte 4096
        containerd down
        """);

    assertThat(written.print()).isEqualTo("""
        kubelet restart at phase process-running
        link stdout limit-data 1KiB at byte 100 toward-client
        link apiserver-kubelet latency 1m30s at time 0s
        link apiserver-kubelet toward-client stall at byte 4KiB toward-client
        containerd down at time 0s
        """);
  }

  @Test
  void printsAFaultAsItsLine() {
    Fault fault = new Fault(Target.component(KUBELET), new KubeletEffect.Unauthorized(), Trigger.atStart(),
        Duration.ZERO);

    assertThat(fault).hasToString("kubelet unauthorized at time 0s");
  }

  @Test
  void addsAFaultWithoutChangingThePlan() {
    Fault fault = new Fault(Target.component(KUBELET), new KubeletEffect.Down(), Trigger.atStart(), Duration.ZERO);
    FaultPlan bigger = EXAMPLE.plus(fault);

    assertThat(bigger.faults()).hasSize(6).endsWith(fault);
    assertThat(EXAMPLE.faults()).hasSize(5);
  }

  @Test
  void knowsWhichEffectsAreInstantAndWhichLast() {
    assertThat(new LinkEffect.Reset().isInstant()).isTrue();
    assertThat(new ProcessEffect.Killed(Signal.SIGTERM).isInstant()).isTrue();
    assertThat(new LinkEffect.Stall().isInstant()).isFalse();
    assertThat(new Fault(Target.component(KUBELET), new KubeletEffect.Down(), Trigger.atStart(), Duration.ZERO)
        .lastsForTheRun()).isTrue();
  }

  @Test
  void reportsTheExitCodeOfAKillingSignal() {
    assertThat(new ProcessEffect.Killed(Signal.SIGKILL).exitCode()).isEqualTo(137);
    assertThat(new ProcessEffect.Killed(Signal.SIGTERM).exitCode()).isEqualTo(143);
  }
}
