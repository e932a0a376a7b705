package io.execsim.core.net;

import io.execsim.core.testing.NettyLeaks;
import static io.execsim.core.net.ProbedLink.ms;
import static io.execsim.core.net.ProbedLink.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.execsim.core.net.toxic.Bandwidth;
import io.execsim.core.net.toxic.Corrupt;
import io.execsim.core.net.toxic.HalfClose;
import io.execsim.core.net.toxic.Latency;
import io.execsim.core.net.toxic.LimitData;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Slicer;
import io.execsim.core.net.toxic.Stall;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.TraceEvent;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.io.IOException;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stall, reset, half-close, limit data and corrupt on a bare link, as each peer sees them. */
class LinkFaultToxicsTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private final ProbedLink p = new ProbedLink();

  @AfterEach
  void noBufferLeaked() {
    NettyLeaks.assertNoneLeaked();
  }

  @Test
  void stallHoldsBytesAndCloseUntilRemoved() {
    ActiveToxic stall = p.toServer().add(new Stall(), 0);
    p.clientWrites("held");
    p.advance(Duration.ofSeconds(5));
    p.link.client().close();
    p.advance(Duration.ofSeconds(5));

    assertThat(p.atServer.reads()).isEmpty();
    assertThat(p.link.server().isOpen()).isTrue();

    stall.remove();
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(10_000, "held"));
    assertThat(p.atServer.closedAt()).contains(Duration.ofSeconds(10));
  }

  @Test
  void stallFromAnOffsetLetsTheBytesBeforeItThrough() {
    p.toClient().add(new Stall(), 3);

    p.serverWrites("abcdef");
    p.advance(Duration.ofSeconds(1));

    assertThat(p.atClient.text()).isEqualTo("abc");
    assertThat(p.toClient().bytesSent()).isEqualTo(6);
    assertThat(p.toClient().bytesDelivered()).isEqualTo(3);
  }

  @Test
  void resetDeliversTheBytesBeforeItsOffsetThenBothEndsSeeConnectionReset() {
    p.toClient().add(new Reset(), 5);

    p.serverWrites("hello world");
    p.clientWrites("lost on the way");
    p.scheduler.runUntilIdle();

    assertThat(p.atClient.text()).isEqualTo("hello");
    assertThat(p.atServer.reads()).isEmpty();
    for (LinkProbe end : new LinkProbe[] {p.atClient, p.atServer}) {
      assertThat(end.exceptions()).singleElement(InstanceOfAssertFactories.THROWABLE)
          .isInstanceOf(IOException.class).hasMessage("Connection reset by peer");
      assertThat(end.closedAt()).contains(Duration.ZERO);
    }
    assertThat(p.link.isReset()).isTrue();
    assertThat(p.network.openLinks()).isEmpty();
    assertThat(p.trace.events()).filteredOn(e -> e.phase() == Phase.FAULT_FIRED).extracting(TraceEvent::detail)
        .containsExactly("reset on kubectl->apiserver:6443#1 to-client at byte 5");
  }

  @Test
  void resetAtAnOffsetAlreadyPassedFiresAtOnce() {
    p.clientWrites("abc");
    p.scheduler.runUntilIdle();

    p.toServer().add(new Reset(), 0);
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.exceptions()).singleElement().isInstanceOf(ConnectionResetException.class);
    assertThat(p.atClient.exceptions()).singleElement().isInstanceOf(ConnectionResetException.class);
    assertThat(p.link.client().isOpen()).isFalse();
    assertThat(p.link.server().isOpen()).isFalse();
  }

  @Test
  void aResetPutOnANewLinkLetsTheDialSucceedThenResetsBothEnds() {
    ProbedLink q = new ProbedLink();
    LinkProbe server = new LinkProbe(q.scheduler);
    LinkProbe client = new LinkProbe(q.scheduler);
    q.network.listen("kubelet:10250", ch -> ch.pipeline().addLast(server));
    q.network.addLinkListener(link -> link.direction(Direction.TO_SERVER).add(new Reset(), 0));

    SimChannel ch = q.scheduler.await(q.network.dial("apiserver", "kubelet:10250", c -> c.pipeline().addLast(client)));
    q.scheduler.runUntilIdle();

    assertThat(ch.link().name()).isEqualTo("apiserver->kubelet:10250#2");
    assertThat(client.exceptions()).singleElement().isInstanceOf(ConnectionResetException.class);
    assertThat(server.exceptions()).singleElement().isInstanceOf(ConnectionResetException.class);
    assertThat(q.trace.events()).filteredOn(e -> e.phase() == Phase.FAULT_FIRED)
        .extracting(TraceEvent::hop, TraceEvent::detail)
        .containsExactly(tuple(Hop.APISERVER, "reset on apiserver->kubelet:10250#2 to-server at byte 0"));
  }

  @Test
  void resetDropsWhatOtherToxicsHeldAndCancelsTheirTimers() {
    p.toServer().add(new Latency(Duration.ofSeconds(30), Duration.ZERO), 0);
    p.toClient().add(new Reset(), 2);
    p.clientWrites("in flight");
    p.advance(ms(10));

    p.serverWrites("ok then");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).isEmpty();
    assertThat(p.atClient.text()).isEqualTo("ok");
    assertThat(p.scheduler.elapsed()).isEqualTo(ms(10));
    assertThat(p.scheduler.pending()).isZero();
    assertThat(p.toServer().toxics()).isEmpty();
  }

  @Test
  void halfCloseEndsOneDirectionAndANettyDefaultEndClosesOnIt() {
    p.toServer().add(new HalfClose(), 3);

    p.clientWrites("abcdef");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.text()).isEqualTo("abc");
    assertThat(p.atServer.closedAt()).contains(Duration.ZERO);
    assertThat(p.atServer.exceptions()).isEmpty();
    // the server's close reaches the client as an orderly FIN
    assertThat(p.atClient.closedAt()).contains(Duration.ZERO);
    assertThat(p.atClient.exceptions()).isEmpty();
  }

  @Test
  void halfCloseLetsTheOtherDirectionFlowToAnEndThatAllowsHalfClosure() {
    p.link.server().setAllowHalfClosure(true);
    p.toServer().add(new HalfClose(), 3);

    p.clientWrites("abcdef");
    p.scheduler.runUntilIdle();
    p.serverWrites("still here");
    p.clientWrites("ignored");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.text()).isEqualTo("abc");
    assertThat(p.atServer.events())
        .containsExactly(ChannelInputShutdownEvent.INSTANCE, ChannelInputShutdownReadComplete.INSTANCE);
    assertThat(p.link.server().isInputShutdown()).isTrue();
    assertThat(p.link.server().isOpen()).isTrue();
    assertThat(p.atClient.text()).isEqualTo("still here");
    assertThat(p.atClient.closedAt()).isEmpty();
    assertThat(p.toServer().isOpen()).isFalse();
    assertThat(p.toClient().isOpen()).isTrue();
  }

  @Test
  void limitDataClosesTheConnectionAfterThatManyBytes() {
    p.toClient().add(new LimitData(4), 0);

    p.serverWrites("ab");
    p.scheduler.runUntilIdle();
    p.serverWrites("cdef");
    p.scheduler.runUntilIdle();

    assertThat(p.atClient.text()).isEqualTo("abcd");
    assertThat(p.atClient.closedAt()).contains(Duration.ZERO);
    assertThat(p.atServer.closedAt()).contains(Duration.ZERO);
    assertThat(p.atClient.exceptions()).isEmpty();
    assertThat(p.atServer.exceptions()).isEmpty();
    assertThat(p.trace.events()).filteredOn(e -> e.phase() == Phase.FAULT_FIRED).extracting(TraceEvent::detail)
        .containsExactly("limit-data 4 B on kubectl->apiserver:6443#1 to-client at byte 4");
  }

  @Test
  void limitDataCountsFromItsOffset() {
    p.toServer().add(new LimitData(2), 3);

    p.clientWrites("abcdefgh");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.text()).isEqualTo("abcde");
    assertThat(p.link.client().isOpen()).isFalse();
  }

  @Test
  void corruptFlipsTheBitsOfTheByteAtItsOffsetOnly() {
    p.toServer().add(new Corrupt(0xff), 2);

    p.clientWrites("ab");
    p.clientWrites("cd");
    p.clientWrites("ef");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.text()).isEqualTo("ab" + (char) ('c' ^ 0xff) + "def");
    assertThat(p.trace.events()).filteredOn(e -> e.phase() == Phase.FAULT_FIRED).extracting(TraceEvent::detail)
        .containsExactly("corrupt ^0xff on kubectl->apiserver:6443#1 to-server at byte 2");
  }

  @Test
  void corruptInsideAChunkLeavesTheChunkWhole() {
    p.toClient().add(new Corrupt(0x20), 7);

    p.serverWrites("status: ok");
    p.scheduler.runUntilIdle();

    assertThat(p.atClient.reads()).containsExactly(read(0, "status:\u0000ok"));
  }

  @Test
  void toxicsActInTheOrderTheyWereAdded() {
    p.toServer().add(new Slicer(2, 0, ms(10)), 0);
    p.toServer().add(new Corrupt(0x20), 3);

    p.clientWrites("abcdef");
    p.scheduler.runUntilIdle();

    assertThat(p.atServer.reads()).containsExactly(read(0, "ab"), read(10, "cD"), read(20, "ef"));
  }

  @Test
  void aClosedDirectionTakesNoToxic() {
    p.link.client().close();
    p.scheduler.runUntilIdle();

    assertThatThrownBy(() -> p.toServer().add(new Stall(), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("link direction is closed: kubectl->apiserver:6443#1 to-server");
  }

  @Test
  void toxicParametersAreChecked() {
    assertThatThrownBy(() -> new Latency(ms(10), ms(20)))
        .hasMessage("jitter must not exceed latency: PT0.02S > PT0.01S");
    assertThatThrownBy(() -> new Latency(ms(-1), Duration.ZERO)).hasMessage("latency must not be negative: PT-0.001S");
    assertThatThrownBy(() -> new Bandwidth(0))
        .hasMessage("bytes per second must be positive: 0");
    assertThatThrownBy(() -> new Slicer(4, 4, Duration.ZERO))
        .hasMessage("size variation must be in [0, average size): 4");
    assertThatThrownBy(() -> new LimitData(-1)).hasMessage("byte limit must not be negative: -1");
    assertThatThrownBy(() -> new Corrupt(0x100)).hasMessage("mask must be in [0x01, 0xff]: 256");
    assertThatThrownBy(() -> p.toServer().add(new Stall(), -1)).hasMessage("offset must not be negative: -1");
  }
}
