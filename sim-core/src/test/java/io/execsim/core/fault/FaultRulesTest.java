package io.execsim.core.fault;

import static io.execsim.core.fault.ComponentName.CONTAINERD;
import static io.execsim.core.fault.ComponentName.KUBELET;
import static io.execsim.core.fault.ComponentName.RUNC;
import static io.execsim.core.fault.Direction.BOTH;
import static io.execsim.core.fault.Direction.TOWARD_CLIENT;
import static io.execsim.core.fault.Direction.TOWARD_PROCESS;
import static io.execsim.core.fault.LinkName.APISERVER_KUBELET;
import static io.execsim.core.fault.LinkName.KUBELET_CONTAINERD;
import static io.execsim.core.fault.LinkName.STDIN;
import static io.execsim.core.fault.LinkName.STDOUT;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.process.Signal;
import io.execsim.core.trace.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultRulesTest {
  private static final Duration NONE = Duration.ZERO;

  @Test
  void rejectsAnEffectOfAnotherComponent() {
    assertThatThrownBy(() -> fault(Target.component(CONTAINERD), new KubeletEffect.Unauthorized(), Trigger.atStart()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unauthorized applies to the kubelet, not to containerd");
    assertThatThrownBy(() -> fault(Target.component(KUBELET), new ContainerdEffect.Down(), Trigger.atStart()))
        .hasMessage("down applies to containerd, not to the kubelet");
    assertThatThrownBy(() -> fault(Target.mount("/tmp"), new LinkEffect.Stall(), Trigger.atStart()))
        .hasMessage("stall applies to a link, not to the mount /tmp");
    assertThatThrownBy(() -> fault(Target.process(), new ContainerEffect.Stopped(), Trigger.atStart()))
        .hasMessage("stopped applies to the container, not to the process");
  }

  @Test
  void rejectsALinkEffectOnAKindOfLinkItDoesNotFit() {
    assertThatThrownBy(() -> fault(
        Target.link(KUBELET_CONTAINERD), new LinkEffect.Bandwidth(1024), Trigger.atStart()))
        .hasMessage("bandwidth applies to byte streams and FIFOs, not to the call link kubelet-containerd");
    assertThatThrownBy(() -> fault(Target.link(STDOUT), new LinkEffect.CorruptFrame(), Trigger.atStart()))
        .hasMessage("corrupt-frame applies to byte streams, not to the FIFO stdout");
    assertThatThrownBy(() -> fault(Target.link(STDIN), new LinkEffect.Reset(), Trigger.atStart()))
        .hasMessage("reset applies to byte streams and call links, not to the FIFO stdin");
  }

  @Test
  void rejectsNegativeDurations() {
    assertThatThrownBy(() -> new LinkEffect.Latency(Duration.ofMillis(-5), NONE))
        .hasMessage("latency must not be negative: -5ms");
    assertThatThrownBy(() -> new LinkEffect.Latency(NONE, Duration.ofMillis(-1)))
        .hasMessage("jitter must not be negative: -1ms");
    assertThatThrownBy(() -> new LinkEffect.Slicer(10, 0, Duration.ofSeconds(-1)))
        .hasMessage("a slicer's delay must not be negative: -1s");
    assertThatThrownBy(() -> new KubeletEffect.Restart(Duration.ofSeconds(-2)))
        .hasMessage("a restart's downtime must not be negative: -2s");
    assertThatThrownBy(() -> Trigger.atTime(Duration.ofSeconds(-1)))
        .hasMessage("a time trigger must not be negative: -1s");
    assertThatThrownBy(() -> new Fault(Target.component(KUBELET), new KubeletEffect.Down(), Trigger.atStart(),
        Duration.ofSeconds(-3)))
        .hasMessage("a fault's duration must not be negative: -3s");
  }

  @Test
  void rejectsDelaysThatAreNotAboveZeroWhereOnlyADelayMeansAnything() {
    assertThatThrownBy(() -> new KubeletEffect.Slow(NONE)).hasMessage("a slow kubelet's delay must be above zero: 0s");
    assertThatThrownBy(() -> new RuncEffect.Slow(Duration.ofMillis(-1)))
        .hasMessage("a slow runc's delay must be above zero: -1ms");
  }

  @Test
  void rejectsJitterBeyondItsLatency() {
    assertThatThrownBy(() -> new LinkEffect.Latency(Duration.ofMillis(200), Duration.ofMillis(300)))
        .hasMessage("jitter must not exceed the latency 200ms: 300ms");
  }

  @Test
  void rejectsSizesOutOfRange() {
    assertThatThrownBy(() -> new LinkEffect.Bandwidth(0))
        .hasMessage("bandwidth must be at least 1 byte per second: 0");
    assertThatThrownBy(() -> new LinkEffect.LimitData(-1)).hasMessage("a data limit must not be negative: -1");
    assertThatThrownBy(() -> new LinkEffect.Slicer(0, 0, NONE)).hasMessage("a slice must average at least 1 byte: 0");
    assertThatThrownBy(() -> new LinkEffect.Slicer(16, 16, NONE))
        .hasMessage("a slice's size variation must be at least 0 and below its average size 16: 16");
    assertThatThrownBy(() -> new LinkEffect.Slicer(16, -1, NONE))
        .hasMessage("a slice's size variation must be at least 0 and below its average size 16: -1");
    assertThatThrownBy(() -> Trigger.atByte(-1, TOWARD_CLIENT)).hasMessage("a byte offset must not be negative: -1");
  }

  @Test
  void rejectsCountsThatDoNotStartAtOne() {
    assertThatThrownBy(() -> Trigger.atCall(0)).hasMessage("calls are counted from 1: 0");
    assertThatThrownBy(() -> Trigger.atConnection(-2)).hasMessage("connections are counted from 1: -2");
  }

  @Test
  void rejectsAByteOffsetCountedBothWays() {
    assertThatThrownBy(() -> Trigger.atByte(10, BOTH))
        .hasMessage("a byte offset counts one way, toward-process or toward-client: both");
  }

  @Test
  void rejectsAByteOffsetOffALinkThatCarriesBytes() {
    assertThatThrownBy(() -> fault(Target.component(KUBELET), new KubeletEffect.Down(),
        Trigger.atByte(10, TOWARD_CLIENT)))
        .hasMessage("a byte-offset trigger needs a byte stream or a FIFO, not the kubelet");
    assertThatThrownBy(() -> fault(Target.link(KUBELET_CONTAINERD), new LinkEffect.Stall(),
        Trigger.atByte(10, TOWARD_CLIENT)))
        .hasMessage("a byte-offset trigger needs a byte stream or a FIFO, not the call link kubelet-containerd");
  }

  @Test
  void rejectsAFifoAgainstItsOneWay() {
    assertThatThrownBy(() -> Target.link(STDIN, TOWARD_CLIENT))
        .hasMessage("stdin carries bytes toward-process only: toward-client");
    assertThatThrownBy(() -> Target.link(STDOUT, BOTH))
        .hasMessage("stdout carries bytes toward-client only: both");
    assertThatThrownBy(() -> fault(Target.link(STDOUT), new LinkEffect.Stall(), Trigger.atByte(1, TOWARD_PROCESS)))
        .hasMessage("stdout carries bytes toward-client only: toward-process");
  }

  @Test
  void rejectsCallAndConnectionTriggersWhereNothingIsCalledOrConnected() {
    assertThatThrownBy(() -> fault(Target.component(KUBELET), new KubeletEffect.Down(), Trigger.atCall(1)))
        .hasMessage("a call trigger needs a call link, containerd, the shim or runc, not the kubelet");
    assertThatThrownBy(() -> fault(Target.link(STDOUT), new LinkEffect.Stall(), Trigger.atConnection(1)))
        .hasMessage("a connection trigger needs a byte stream, a call link or a component that accepts connections"
            + " (apiserver, kubelet, streaming, containerd, shim), not the FIFO stdout");
    assertThatThrownBy(() -> fault(Target.component(RUNC), new RuncEffect.Slow(Duration.ofSeconds(1)),
        Trigger.atConnection(1)))
        .hasMessageEndingWith("not runc");
    assertThatCode(() -> fault(Target.component(RUNC), new RuncEffect.Slow(Duration.ofSeconds(1)),
        Trigger.atCall(2))).doesNotThrowAnyException();
  }

  @Test
  void rejectsADurationForAnInstantEffect() {
    assertThatThrownBy(() -> new Fault(Target.link(APISERVER_KUBELET), new LinkEffect.Reset(), Trigger.atStart(),
        Duration.ofSeconds(5)))
        .hasMessage("reset is instant and takes no duration: 5s");
  }

  @Test
  void rejectsASignalThatDoesNotEndTheProcess() {
    assertThatThrownBy(() -> new ProcessEffect.Killed(Signal.SIGSTOP))
        .hasMessage("a process is killed by a signal that ends it: SIGSTOP");
    assertThatThrownBy(() -> new ProcessEffect.Killed(Signal.SIGWINCH))
        .hasMessage("a process is killed by a signal that ends it: SIGWINCH");
  }

  @Test
  void rejectsAnExitCodeOutOfRange() {
    assertThatThrownBy(() -> new ProcessEffect.ExitsEarly(256)).hasMessage("an exit code must be 0 to 255: 256");
    assertThatThrownBy(() -> new ProcessEffect.ExitsEarly(-1)).hasMessage("an exit code must be 0 to 255: -1");
  }

  @Test
  void rejectsAMountPathThatIsNotAbsoluteAndNormal() {
    for (String path : new String[] {"tmp", "/tmp/", "//tmp", "/run/../tmp", "/run/.", "/my tmp", ""}) {
      assertThatThrownBy(() -> Target.mount(path))
          .hasMessage("a mount path must be absolute, normalized and without spaces: " + path);
    }
    assertThatCode(() -> Target.mount("/")).doesNotThrowAnyException();
    assertThatCode(() -> Target.mount("/var/lib/containerd")).doesNotThrowAnyException();
    assertThatCode(() -> Target.mount("/run/.hidden")).doesNotThrowAnyException();
  }

  @Test
  void rejectsAByteOffsetPastALimitOnTheSameWay() {
    Fault limit = fault(Target.link(APISERVER_KUBELET, TOWARD_CLIENT), new LinkEffect.LimitData(4096),
        Trigger.atByte(1000, TOWARD_CLIENT));
    Fault later = fault(Target.link(APISERVER_KUBELET), new LinkEffect.Reset(), Trigger.atByte(5097, TOWARD_CLIENT));

    assertThatThrownBy(() -> FaultPlan.of(limit, later))
        .hasMessage("a byte offset lies past the end of its stream: 5097 toward-client on apiserver-kubelet,"
            + " which fault 1 closes at byte 5096");
    assertThatCode(() -> FaultPlan.of(limit,
        fault(Target.link(APISERVER_KUBELET), new LinkEffect.Reset(), Trigger.atByte(5096, TOWARD_CLIENT))))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAByteOffsetPastALimitFromTheStart() {
    Fault limit = fault(Target.link(STDOUT), new LinkEffect.LimitData(100), Trigger.atStart());
    Fault later = fault(Target.link(STDOUT), new LinkEffect.Stall(), Trigger.atByte(101, TOWARD_CLIENT));

    assertThatThrownBy(() -> FaultPlan.of(limit, later))
        .hasMessage("a byte offset lies past the end of its stream: 101 toward-client on stdout,"
            + " which fault 1 closes at byte 100");
  }

  @Test
  void rejectsAByteOffsetPastAResetOrAHalfClose() {
    Fault reset = fault(Target.link(APISERVER_KUBELET, TOWARD_PROCESS), new LinkEffect.Reset(),
        Trigger.atByte(2048, TOWARD_CLIENT));
    Fault halfClose = fault(Target.link(APISERVER_KUBELET, TOWARD_PROCESS), new LinkEffect.HalfClose(),
        Trigger.atByte(300, TOWARD_PROCESS));
    Fault late = fault(Target.link(APISERVER_KUBELET), new LinkEffect.Stall(), Trigger.atByte(4096, TOWARD_CLIENT));
    Fault lateIn = fault(Target.link(APISERVER_KUBELET), new LinkEffect.Stall(), Trigger.atByte(301, TOWARD_PROCESS));

    assertThatThrownBy(() -> FaultPlan.of(reset, late))
        .hasMessage("a byte offset lies past the end of its stream: 4KiB toward-client on apiserver-kubelet,"
            + " which fault 1 closes at byte 2KiB");
    assertThatThrownBy(() -> FaultPlan.of(late, halfClose, lateIn))
        .hasMessage("a byte offset lies past the end of its stream: 301 toward-process on apiserver-kubelet,"
            + " which fault 2 closes at byte 300");
  }

  @Test
  void acceptsOffsetsThatAnEarlierFaultDoesNotSurelyClose() {
    Fault limitForAWhile = new Fault(Target.link(APISERVER_KUBELET), new LinkEffect.LimitData(10),
        Trigger.atStart(), Duration.ofSeconds(1));
    Fault limitAtAPhase = fault(Target.link(APISERVER_KUBELET), new LinkEffect.LimitData(10),
        Trigger.atPhase(Phase.OUTPUT_FLOWING));
    Fault otherWay = fault(Target.link(APISERVER_KUBELET, TOWARD_PROCESS), new LinkEffect.LimitData(10),
        Trigger.atStart());
    Fault otherLink = fault(Target.link(LinkName.CLIENT_APISERVER), new LinkEffect.Reset(),
        Trigger.atByte(1, TOWARD_CLIENT));
    Fault late = fault(Target.link(APISERVER_KUBELET), new LinkEffect.Stall(), Trigger.atByte(4096, TOWARD_CLIENT));

    assertThatCode(() -> FaultPlan.of(limitForAWhile, limitAtAPhase, otherWay, otherLink, late))
        .doesNotThrowAnyException();
    assertThatCode(() -> FaultPlan.of(late, fault(Target.link(APISERVER_KUBELET), new LinkEffect.Reset(),
        Trigger.atByte(10, TOWARD_CLIENT)))).doesNotThrowAnyException();
  }

  private static Fault fault(Target target, Effect effect, Trigger trigger) {
    return new Fault(target, effect, trigger, NONE);
  }
}
