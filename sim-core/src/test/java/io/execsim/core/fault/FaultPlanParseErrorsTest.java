package io.execsim.core.fault;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class FaultPlanParseErrorsTest {
  @Test
  void namesTheTargetsThereAre() {
    rejects("kublet down").hasMessage("line 1, column 1: unknown target: kublet (one of: link, apiserver, kubelet,"
        + " streaming, containerd, shim, runc, mount, process, container)");
    rejects("link apiserver-kublet reset").hasMessage("line 1, column 6: unknown link: apiserver-kublet (one of:"
        + " client-apiserver, apiserver-kubelet, kubelet-streaming, kubelet-containerd, containerd-shim, stdin,"
        + " stdout, stderr)");
  }

  @Test
  void namesTheEffectsOfTheTarget() {
    rejects("kubelet reboot at phase cri-exec").hasMessage("line 1, column 9: unknown effect on the kubelet: reboot"
        + " (one of: down, restart, unauthorized, forbidden, slow)");
    rejects("link stdout lattency 1s").hasMessage("line 1, column 13: unknown effect on a link: lattency"
        + " (one of: latency, bandwidth, stall, reset, half-close, slicer, limit-data, corrupt-frame)");
  }

  @Test
  void saysWhichTargetAnEffectBelongsTo() {
    rejects("containerd unauthorized").hasMessage("line 1, column 12: unauthorized applies to the kubelet,"
        + " not to containerd");
    rejects("streaming down").hasMessage("line 1, column 11: down applies to the apiserver, the kubelet or"
        + " containerd, not to the streaming server");
    rejects("mount /tmp latency 1s").hasMessage("line 1, column 12: latency applies to a link, not to the mount /tmp");
    rejects("link stdin corrupt-frame").hasMessage("line 1, column 12: corrupt-frame applies to byte streams,"
        + " not to the FIFO stdin");
  }

  @Test
  void namesTheWordThatIsNotANumberOrSize() {
    rejects("link stdout latency 200").hasMessage("line 1, column 21: a duration needs a unit"
        + " (ns, us, µs, ms, s, m, h): 200");
    rejects("link stdout limit-data 4KB").hasMessage("line 1, column 24: a size is a whole number of bytes,"
        + " or of KiB, MiB or GiB: 4KB");
    rejects("link stdout bandwidth 4KiB").hasMessage("line 1, column 23: a bandwidth is a size per second,"
        + " e.g. 64KiB/s: 4KiB");
    rejects("shim killed at call first").hasMessage("line 1, column 21: a call number is a whole number: first");
    rejects("process exits-early 3").hasMessage("line 1, column 21: expected code: 3");
  }

  @Test
  void namesTheRuleThatAValueBreaks() {
    rejects("link stdout latency -5ms").hasMessage("line 1, column 13: latency must not be negative: -5ms");
    rejects("link stdout bandwidth 0/s")
        .hasMessage("line 1, column 23: bandwidth must be at least 1 byte per second: 0");
    rejects("shim killed at call 0").hasMessage("line 1, column 16: calls are counted from 1: 0");
    rejects("kubelet down at time -1s").hasMessage("line 1, column 17: a time trigger must not be negative: -1s");
    rejects("kubelet down for -1s").hasMessage("line 1, column 14: a fault's duration must not be negative: -1s");
    rejects("link stdin toward-client stall")
        .hasMessage("line 1, column 12: stdin carries bytes toward-process only: toward-client");
    rejects("mount tmp read-only")
        .hasMessage("line 1, column 7: a mount path must be absolute, normalized and without spaces: tmp");
  }

  @Test
  void namesThePhasesAndTriggersThereAre() {
    rejects("kubelet down at phase proc-running")
        .hasMessageStartingWith("line 1, column 23: unknown phase: proc-running (one of: client-request,")
        .hasMessageContaining(" process-running,");
    rejects("kubelet down at moment 3").hasMessage("line 1, column 17: unknown trigger: moment"
        + " (one of: phase, byte, time, call, connection)");
    rejects("kubelet down at").hasMessage("line 1, column 16: expected a trigger"
        + " (phase, byte, time, call, connection): end of line");
  }

  @Test
  void rejectsAByteOffsetWhereNoBytesAreCounted() {
    rejects("kubelet down at byte 10").hasMessage("line 1, column 14: a byte-offset trigger needs a byte stream"
        + " or a FIFO, not the kubelet");
    rejects("link apiserver-kubelet reset at byte 10").hasMessage("line 1, column 33: a byte offset on a link in"
        + " both directions names its way after the offset (toward-process or toward-client): byte 10");
    rejects("link apiserver-kubelet reset at byte 10 both")
        .hasMessage("line 1, column 41: a byte offset counts one way, toward-process or toward-client: both");
    rejects("link stdout stall at byte 10 toward-process")
        .hasMessage("line 1, column 19: stdout carries bytes toward-client only: toward-process");
  }

  @Test
  void rejectsCallTriggersWhereNothingIsCalled() {
    rejects("mount /tmp full bytes at call 1").hasMessage("line 1, column 23: a call trigger needs a call link,"
        + " containerd, the shim or runc, not the mount /tmp");
  }

  @Test
  void rejectsADurationForAnInstantEffect() {
    rejects("kubelet restart at phase cri-exec for 5s")
        .hasMessage("line 1, column 35: restart is instant and takes no duration: 5s");
  }

  @Test
  void namesWhatIsLeftOrMissing() {
    rejects("kubelet down at time 0s for 5s please")
        .hasMessage("line 1, column 32: a fault ends after its trigger and duration (at ..., for ...): please");
    rejects("link apiserver-kubelet").hasMessage("line 1, column 23: expected an effect: end of line");
    rejects("mount").hasMessage("line 1, column 6: expected a mount path: end of line");
  }

  @Test
  void namesTheErrnosSignalsAndFilesThereAre() {
    rejects("runc fails-to-start ENOSPACE pid-file").hasMessageStartingWith("line 1, column 21: unknown errno:"
        + " ENOSPACE (one of: EPERM, ENOENT,");
    rejects("runc fails-to-start ENOSPC pidfile")
        .hasMessage("line 1, column 28: unknown runc file: pidfile (one of: pid-file, log)");
    rejects("process killed KILL").hasMessageStartingWith("line 1, column 16: unknown signal: KILL (one of: SIGHUP,");
    rejects("process killed SIGCONT")
        .hasMessage("line 1, column 9: a process is killed by a signal that ends it: SIGCONT");
    rejects("mount /tmp full disk").hasMessage("line 1, column 17: a mount is full by bytes or by inodes: disk");
  }

  @Test
  void countsLinesAsWrittenWithBlanksAndComments() {
    rejects("""
        # faults of a flaky node

        kubelet down for 5s
        containerd slow 2s
        """).hasMessage("line 4, column 12: slow applies to the kubelet or runc, not to containerd");
  }

  @Test
  void rejectsAByteOffsetPastAStreamThatAnEarlierLineCloses() {
    rejects("""
        link apiserver-kubelet toward-client limit-data 4KiB at time 0s
        kubelet down
        link apiserver-kubelet toward-client stall at byte 5000
        """).hasMessage("line 3, column 44: a byte offset lies past the end of its stream: 5000 toward-client"
        + " on apiserver-kubelet, which line 1 closes at byte 4KiB");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(String text) {
    return assertThatThrownBy(() -> FaultPlan.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
