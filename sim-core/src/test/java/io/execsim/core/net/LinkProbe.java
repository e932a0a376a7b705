package io.execsim.core.net;

import io.execsim.core.sched.DeterministicScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The last handler of a link end in a test: what the end read and when, and how its connection ended. */
final class LinkProbe extends ChannelInboundHandlerAdapter {
  private final DeterministicScheduler scheduler;
  private final List<Read> reads = new ArrayList<>();
  private final List<Throwable> exceptions = new ArrayList<>();
  private final List<Object> events = new ArrayList<>();
  private Optional<Duration> closedAt = Optional.empty();

  /** Bytes read at once, as Latin-1 text so that every byte value shows. */
  record Read(Duration at, String text) {
  }

  LinkProbe(DeterministicScheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ByteBuf b) {
        reads.add(new Read(scheduler.elapsed(), b.toString(StandardCharsets.ISO_8859_1)));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    exceptions.add(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closedAt = Optional.of(scheduler.elapsed());
  }

  List<Read> reads() {
    return reads;
  }

  /** Everything read, in order. */
  String text() {
    StringBuilder b = new StringBuilder();
    reads.forEach(r -> b.append(r.text()));
    return b.toString();
  }

  List<Throwable> exceptions() {
    return exceptions;
  }

  List<Object> events() {
    return events;
  }

  Optional<Duration> closedAt() {
    return closedAt;
  }
}
