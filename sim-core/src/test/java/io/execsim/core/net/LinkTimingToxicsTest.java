package io.execsim.core.net;

import io.execsim.core.testing.NettyLeaks;
import static io.execsim.core.net.ProbedLink.ms;
import static io.execsim.core.net.ProbedLink.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.execsim.core.net.toxic.Bandwidth;
import io.execsim.core.net.toxic.Latency;
import io.execsim.core.net.toxic.Slicer;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Latency, bandwidth and slicer on a bare link, at exact virtual times. */
class LinkTimingToxicsTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private final ProbedLink p = new ProbedLink();

  @AfterEach
  void noBufferLeaked() {
    NettyLeaks.assertNoneLeaked();
  }

  @Test
  void latencyDelaysEachChunkAndKeepsTheGapsBetweenThem() {
    p.toServer().add(new Latency(ms(100), Duration.ZERO), 0);

    p.clientWrites("one");
    p.advance(ms(30));
    p.clientWrites("two");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(100, "one"), read(130, "two"));
  }

  @Test
  void latencyDelaysOnlyItsOwnDirection() {
    p.toServer().add(new Latency(ms(100), Duration.ZERO), 0);

    p.clientWrites("ping");
    p.serverWrites("pong");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(100, "ping"));
    assertThat(p.atClient.reads()).containsExactly(read(0, "pong"));
  }

  @Test
  void latencyDelaysTheCloseBehindTheBytes() {
    p.toServer().add(new Latency(ms(100), Duration.ZERO), 0);

    p.clientWrites("bye");
    p.advance(ms(10));
    p.link.client().close();
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(100, "bye"));
    assertThat(p.atServer.closedAt()).contains(ms(110));
    assertThat(p.network.openLinks()).isEmpty();
  }

  @Test
  void jitterVariesTheDelayWithinItsBoundsButNeverReorders() {
    List<LinkProbe.Read> first = jitteredReads(7);

    assertThat(first).extracting(LinkProbe.Read::text)
        .containsExactlyElementsOf(List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"));
    assertThat(first).extracting(LinkProbe.Read::at).isSorted();
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      // written at i ms; delayed 100 +- 50 ms, or held behind its predecessor
      assertThat(first.get(i).at()).isBetween(ms(i + 50), ms(i + 150));
      delays.add(first.get(i).at().minus(ms(i)));
    }
    assertThat(delays).filteredOn(d -> !d.equals(ms(100))).isNotEmpty();
    assertThat(jitteredReads(7)).isEqualTo(first);
    assertThat(jitteredReads(8)).isNotEqualTo(first);
  }

  private static List<LinkProbe.Read> jitteredReads(long seed) {
    ProbedLink link = new ProbedLink(seed);
    link.toServer().add(new Latency(ms(100), ms(50)), 0);
    for (int i = 0; i < 10; i++) {
      link.clientWrites("c" + i);
      link.advance(ms(1));
    }
    link.scheduler.runUntilIdle();
    return new ArrayList<>(link.atServer.reads());
  }

  @Test
  void latencyAddedWhileBytesFlowActsOnTheBytesThatFollow() {
    p.clientWrites("before");
    p.scheduler.runUntilIdle();
    p.advance(ms(5));

    p.toServer().add(new Latency(ms(50), Duration.ZERO), 0);
    p.clientWrites("after");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(0, "before"), read(55, "after"));
  }

  @Test
  void removingLatencyHandsOnWhatItHeldAtOnce() {
    ActiveToxic latency = p.toServer().add(new Latency(Duration.ofSeconds(10), Duration.ZERO), 0);
    p.clientWrites("held");
    p.advance(ms(200));

    latency.remove();
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(200, "held"));
    assertThat(latency.isActive()).isFalse();
    assertThat(p.toServer().toxics()).isEmpty();
    assertThat(p.scheduler.elapsed()).isEqualTo(ms(200));
  }

  @Test
  void latencyFromAnOffsetLeavesTheBytesBeforeItAlone() {
    p.toServer().add(new Latency(ms(100), Duration.ZERO), 4);

    p.clientWrites("abcdefgh");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(0, "abcd"), read(100, "efgh"));
  }

  @Test
  void bandwidthPacesAChunkInTenthsOfASecond() {
    p.toClient().add(new Bandwidth(1000), 0);

    p.serverWrites("x".repeat(250));
    p.advance(ms(300));
    p.serverWrites("y".repeat(10));
    p.scheduler.runUntilIdle();

    assertThat(p.atClient.reads()).containsExactly(read(100, "x".repeat(100)), read(200, "x".repeat(100)),
        read(250, "x".repeat(50)), read(310, "y".repeat(10)));
  }

  @Test
  void bandwidthQueuesAChunkBehindTheOneBeingSent() {
    p.toClient().add(new Bandwidth(100), 0);

    p.serverWrites("aaaaa");
    p.serverWrites("bbbbb");
    p.link.server().close();
    p.scheduler.runUntilIdle();

    assertThat(p.atClient.reads()).containsExactly(read(50, "aaaaa"), read(100, "bbbbb"));
    assertThat(p.atClient.closedAt()).contains(ms(100));
  }

  @Test
  void slicerCutsAChunkIntoSlicesTheDelayApart() {
    p.toServer().add(new Slicer(3, 0, ms(1)), 0);

    p.clientWrites("abcdefghij");
    p.clientWrites("kl");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(0, "abc"), read(1, "def"), read(2, "ghi"), read(3, "j"),
        read(4, "kl"));
  }

  @Test
  void slicerVariesTheSliceSizesWithinTheirBounds() {
    p.toServer().add(new Slicer(8, 4, Duration.ZERO), 0);
    String text = "the quick brown fox jumps over the lazy dog, again and again and again";

    p.clientWrites(text);
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.text()).isEqualTo(text);
    List<LinkProbe.Read> slices = p.atServer.reads();
    assertThat(slices.subList(0, slices.size() - 1)).allSatisfy(r -> assertThat(r.text()).hasSizeBetween(4, 12));
    assertThat(slices.stream().map(r -> r.text().length()).distinct().count()).isGreaterThan(3);
    assertThat(slices).extracting(LinkProbe.Read::at).containsOnly(Duration.ZERO);
  }

  @Test
  void aStartingToxicIsTracedWithItsLinkDirectionAndOffset() {
    p.clientWrites("0123456789");
    p.scheduler.runUntilIdle();

    p.toServer().add(new Latency(ms(100), ms(10)), 4);
    p.toClient().add(new Bandwidth(1024), 20);
    p.serverWrites("x".repeat(30));
    p.scheduler.runUntilIdle();

    assertThat(p.trace.events()).filteredOn(e -> e.phase() == Phase.FAULT_FIRED)
        .extracting(TraceEvent::hop, TraceEvent::detail)
        .containsExactly(
            tuple(Hop.KUBECTL, "latency 100ms +-10ms on kubectl->apiserver:6443#1 to-server at byte 10"),
            tuple(Hop.KUBECTL, "bandwidth 1024 B/s on kubectl->apiserver:6443#1 to-client at byte 20"));
  }

  @Test
  void closingTheReceiverCancelsWhatTheToxicsStillHeld() {
    ActiveToxic latency = p.toServer().add(new Latency(Duration.ofSeconds(10), Duration.ZERO), 0);
    p.clientWrites("never read");
    p.advance(Duration.ofSeconds(1));

    p.link.server().close();
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).isEmpty();
    assertThat(p.atClient.closedAt()).contains(Duration.ofSeconds(1));
    assertThat(latency.isActive()).isFalse();
    assertThat(p.scheduler.elapsed()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.scheduler.pending()).isZero();
  }
}
