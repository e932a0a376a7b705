package io.execsim.testkit;

import io.execsim.core.net.Link;
import io.execsim.core.net.SimChannel;
import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A test's own end of a connection into a deterministic {@link SimCluster}: it writes whatever bytes the test gives
 * it, good or bad, keeps every byte that comes back, and notes the virtual time at which the connection closed.
 *
 * <p>The test thread drives the simulation: {@link #send} and {@link #close} only queue work, {@link #settle()} runs
 * everything due now, {@link #advance} lets virtual time pass. Closing this end closes the peer as a TCP FIN would.
 */
final class RawPeer {
  private final DeterministicScheduler scheduler;
  private final SimChannel channel;
  private final Keeper keeper;
  private Optional<Duration> closedAt = Optional.empty();

  private RawPeer(DeterministicScheduler scheduler, SimChannel channel, Keeper keeper) {
    this.scheduler = scheduler;
    this.channel = channel;
    this.keeper = keeper;
    channel.closeFuture().addListener(f -> closedAt = Optional.of(scheduler.elapsed()));
  }

  /** Connects to {@code address} of the cluster's network (e.g. {@code apiserver:6443}) as {@code client}. */
  static RawPeer dial(SimCluster cluster, String address) {
    DeterministicScheduler scheduler = (DeterministicScheduler) cluster.scheduler();
    Keeper keeper = new Keeper();
    SimChannel ch = scheduler.await(cluster.network().dial("client", address, c -> c.pipeline().addLast(keeper)));
    return new RawPeer(scheduler, ch, keeper);
  }

  /** Writes {@code bytes} as they are and runs what they cause now. */
  RawPeer send(byte[] bytes) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes.clone()));
    settle();
    return this;
  }

  /** Writes {@code text} in ISO-8859-1 and runs what it causes now. */
  RawPeer send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Runs every task due at the current virtual time. */
  void settle() {
    scheduler.advance(Duration.ZERO);
  }

  /** Lets {@code duration} of virtual time pass, running what falls due. */
  void advance(Duration duration) {
    scheduler.advance(duration);
  }

  /** Closes this end and runs what that causes. */
  void close() {
    channel.close();
    settle();
  }

  /** Every byte received so far. */
  byte[] received() {
    return keeper.received.toByteArray();
  }

  /** Every byte received so far, as ISO-8859-1 text. */
  String receivedText() {
    return new String(received(), StandardCharsets.ISO_8859_1);
  }

  /** Whether the connection is still open. */
  boolean isOpen() {
    return channel.isOpen();
  }

  /** The virtual time since the epoch at which the connection closed, from either end. */
  Optional<Duration> closedAt() {
    return closedAt;
  }

  /** The link this peer dialed. */
  Link link() {
    return channel.link();
  }

  /** Keeps what arrives. */
  private static final class Keeper extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof ByteBuf buf) {
          received.writeBytes(ByteBufUtil.getBytes(buf));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
