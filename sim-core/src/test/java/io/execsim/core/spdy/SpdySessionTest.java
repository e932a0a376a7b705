package io.execsim.core.spdy;

import io.execsim.core.testing.NettyLeaks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.execsim.core.io.Streams;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.spdy.FramePeer.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpdySessionTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final List<SpdyStream> accepted = new ArrayList<>();
  private final SpdySession server = SpdySession.newServer(scheduler, s -> {
    accepted.add(s);
    s.reply(Map.of("streamtype", s.header("streamType").orElse("")));
  });
  private final SpdySession client = SpdySession.newClient(scheduler, SpdyStream::reset);
  private FramePeer peer;

  @AfterEach
  void releaseEverything() {
    if (peer != null) {
      peer.close();
    }
    scheduler.runUntilIdle();
    NettyLeaks.assertNoneLeaked();
  }

  private FramePeer peerOf(SpdySession session) {
    peer = new FramePeer(new EmbeddedChannel(SpdySession.newCodec(), session.handler()));
    return peer;
  }

  private static SpdySynStreamFrame synStream(int id, String type) {
    SpdySynStreamFrame f = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    f.headers().add("streamtype", type);
    return f;
  }

  private static SpdyDataFrame data(int id, String text, boolean fin) {
    SpdyDataFrame f = new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    f.setLast(fin);
    return f;
  }

  private String readAll(SpdyStream stream) {
    return new String(scheduler.await(Streams.readAll(stream.source(), 1 << 20)), StandardCharsets.UTF_8);
  }

  @Test
  void serverRepliesToEachStreamAsItArrives() {
    FramePeer p = peerOf(server);

    p.send(synStream(1, "error"));
    List<Frame> afterFirst = p.received();
    p.send(synStream(3, "stdout"));

    assertThat(afterFirst).containsExactly(new Frame("SYN_REPLY", 1, false, Map.of("streamtype", List.of("error")),
        "", 0));
    assertThat(p.received()).extracting(Frame::type, Frame::id).containsExactly(tuple("SYN_REPLY", 3));
    assertThat(accepted).extracting(s -> s.header("STREAMTYPE").orElseThrow()).containsExactly("error", "stdout");
  }

  @Test
  void replyWithoutHeadersIsRefused() {
    SpdySession bare = SpdySession.newServer(scheduler, s -> accepted.add(s));
    FramePeer p = peerOf(bare);
    p.send(synStream(1, "stdout"));

    assertThatThrownBy(() -> accepted.get(0).reply(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a SYN_REPLY needs at least one header: stream 1");
  }

  @Test
  void dataReachesTheSourceAndFinEndsIt() {
    FramePeer p = peerOf(server);
    p.send(synStream(1, "stdin"));
    p.send(data(1, "hello ", false));
    p.send(data(1, "world", true));

    assertThat(readAll(accepted.get(0))).isEqualTo("hello world");
  }

  @Test
  void sinkCutsDataIntoFramesOf32KiBAndCloseSendsAnEmptyFin() {
    FramePeer p = peerOf(server);
    p.send(synStream(1, "stdout"));
    p.received();
    SpdyStream out = accepted.get(0);

    scheduler.await(out.sink().write(new byte[70_000]));
    out.sink().close();
    out.sink().close();

    assertThat(p.received()).extracting(Frame::type, Frame::id, Frame::last, f -> f.data().length())
        .containsExactly(tuple("DATA", 1, false, 32_768),
            tuple("DATA", 1, false, 32_768),
            tuple("DATA", 1, false, 4_464),
            tuple("DATA", 1, true, 0));
  }

  @Test
  void pingOfThePeerIsEchoedWithItsId() {
    FramePeer p = peerOf(server);

    p.send(new DefaultSpdyPingFrame(7));

    assertThat(p.received()).containsExactly(new Frame("PING", 7, false, Map.of(), "", 0));
  }

  @Test
  void ownPingsUseOddIdsOnTheClientAndCompleteOnTheEcho() {
    FramePeer p = peerOf(client);

    CompletableFuture<Void> first = client.ping().toCompletableFuture();
    CompletableFuture<Void> second = client.ping().toCompletableFuture();
    List<Frame> sent = p.received();
    p.send(new DefaultSpdyPingFrame(1));

    assertThat(sent).extracting(Frame::type, Frame::id).containsExactly(
        tuple("PING", 1), tuple("PING", 3));
    assertThat(p.received()).isEmpty();
    assertThat(first).isCompleted();
    assertThat(second).isNotDone();
  }

  @Test
  void clientOpensOddStreamsWithLowerCaseHeaderNames() {
    FramePeer p = peerOf(client);

    client.open(Map.of("streamType", "error"));
    client.open(Map.of("streamType", "stdout"));

    assertThat(p.received()).containsExactly(
        new Frame("SYN_STREAM", 1, false, Map.of("streamtype", List.of("error")), "", 0),
        new Frame("SYN_STREAM", 3, false, Map.of("streamtype", List.of("stdout")), "", 0));
  }

  @Test
  void dataBeforeTheReplyIsDropped() {
    FramePeer p = peerOf(client);
    SpdyStream stdout = client.open(Map.of("streamType", "stdout"));

    p.send(data(1, "lost", false));
    p.send(new DefaultSpdySynReplyFrame(1));
    p.send(data(1, "kept", true));

    assertThat(stdout.replied()).isCompleted();
    assertThat(readAll(stdout)).isEqualTo("kept");
  }

  @Test
  void resetBeforeTheReplyFailsTheWaitWithStreamReset() {
    FramePeer p = peerOf(client);
    SpdyStream stream = client.open(Map.of("streamType", "error"));

    p.send(new DefaultSpdyRstStreamFrame(1, SpdyStreamStatus.CANCEL));

    assertThatThrownBy(() -> scheduler.await(stream.replied())).hasMessage("Stream reset");
    assertThat(scheduler.await(stream.source().read(10))).isEmpty();
  }

  @Test
  void closeResetsWhatThisSideHasNotFinishedThenSendsGoAwayLastAndCloses() {
    FramePeer p = peerOf(server);
    EmbeddedChannel channel = p.channel();
    p.send(synStream(1, "error"));
    p.send(synStream(3, "stdout"));
    p.send(synStream(5, "stdin"));
    p.received();
    accepted.get(1).sink().close();
    accepted.get(0).sink().write("{}".getBytes(StandardCharsets.UTF_8));

    server.close();

    assertThat(p.received()).containsExactly(
        new Frame("DATA", 3, true, Map.of(), "", 0),
        new Frame("DATA", 1, false, Map.of(), "{}", 0),
        new Frame("RST_STREAM", 1, false, Map.of(), "", SpdyStreamStatus.CANCEL.code()),
        new Frame("RST_STREAM", 5, false, Map.of(), "", SpdyStreamStatus.CANCEL.code()),
        new Frame("GOAWAY", 5, false, Map.of(), "", SpdySessionStatus.OK.code()));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void goAwayFromThePeerIgnoresNewStreamsAndClosesOnceStreamsAreDone() {
    FramePeer p = peerOf(server);
    EmbeddedChannel channel = p.channel();
    p.send(synStream(1, "stdout"));
    p.send(new DefaultSpdyGoAwayFrame(0, SpdySessionStatus.OK));
    p.send(synStream(3, "stderr"));

    assertThat(accepted).hasSize(1);
    assertThat(channel.isOpen()).isTrue();

    accepted.get(0).reset();

    assertThat(p.received()).extracting(Frame::type).containsExactly("SYN_REPLY", "RST_STREAM");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void streamIdBelowTheNextExpectedOneIsResetAsProtocolError() {
    FramePeer p = peerOf(server);
    p.send(synStream(5, "error"));
    p.received();

    p.send(synStream(3, "stdout"));

    assertThat(p.received()).containsExactly(
        new Frame("RST_STREAM", 3, false, Map.of(), "", SpdyStreamStatus.PROTOCOL_ERROR.code()));
    assertThat(accepted).hasSize(1);
  }

  @Test
  void endOfTheConnectionEndsEverySourceAndFailsPendingPings() {
    FramePeer p = peerOf(client);
    SpdyStream stream = client.open(Map.of("streamType", "stdout"));
    p.send(new DefaultSpdySynReplyFrame(1));
    CompletableFuture<Void> ping = client.ping().toCompletableFuture();
    CompletableFuture<Optional<byte[]>> read = stream.source().read(100).toCompletableFuture();

    p.channel().close();
    scheduler.runUntilIdle();

    assertThat(read).isCompletedWithValue(Optional.empty());
    assertThatThrownBy(ping::join).hasMessageContaining("connection closed");
    assertThat(client.closed()).isCompleted();
    assertThatThrownBy(() -> scheduler.await(stream.sink().write(new byte[1])))
        .hasMessage("use of closed network connection");
  }
}
