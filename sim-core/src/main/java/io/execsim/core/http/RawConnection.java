package io.execsim.core.http;

import io.execsim.core.sched.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A connection used as a plain byte stream, as Go code uses a {@code net.Conn} (a dialed backend, or a client
 * connection after {@code Hijack}). It is the last handler of its channel's pipeline: bytes that arrive before
 * someone reads are kept, in order, and handed to the reader once it is set; the reader owns every buffer it gets.
 *
 * <p>Runs on the simulation's thread, like the channel. Closing it closes the channel, and the peer sees the close
 * as a TCP FIN; when the channel closes, from either side, the close listeners run once and kept bytes are freed.
 */
public final class RawConnection extends ChannelInboundHandlerAdapter {
  private final Channel channel;
  private final Scheduler scheduler;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
  private final List<Runnable> closeListeners = new ArrayList<>();
  private @Nullable Consumer<ByteBuf> reader;
  private boolean closed;
  private long bytesRead;
  private long bytesWritten;

  private RawConnection(Channel channel, Scheduler scheduler) {
    this.channel = channel;
    this.scheduler = scheduler;
  }

  /** Adds a raw connection as the last handler of {@code channel}. */
  public static RawConnection install(Channel channel, Scheduler scheduler) {
    RawConnection raw = new RawConnection(channel, scheduler);
    channel.pipeline().addLast("raw-connection", raw);
    return raw;
  }

  /** The channel. */
  public Channel channel() {
    return channel;
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return !closed && channel.isOpen();
  }

  /** The bytes read so far, those still kept included. */
  public long bytesRead() {
    return bytesRead;
  }

  /** The bytes written so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Sets who reads from now on; the bytes kept so far go to it first, in order. */
  public void read(Consumer<ByteBuf> newReader) {
    this.reader = newReader;
    while (!pending.isEmpty() && reader == newReader) {
      newReader.accept(pending.poll());
    }
  }

  /** Runs {@code listener} once the connection is closed; at once when it already is. */
  public void onClose(Runnable listener) {
    if (!channel.isOpen()) {
      closed();
    }
    if (closed) {
      listener.run();
    } else {
      closeListeners.add(listener);
    }
  }

  /** Writes {@code bytes}, which this connection then owns; dropped when the connection is closed. */
  public void write(ByteBuf bytes) {
    if (!isOpen()) {
      bytes.release();
      return;
    }
    bytesWritten += bytes.readableBytes();
    channel.writeAndFlush(bytes);
  }

  /** Closes the connection; the close listeners run before this returns or in the next scheduler task. */
  public void close() {
    if (!channel.isOpen()) {
      return;
    }
    channel.close();
    if (channel instanceof EmbeddedChannel embedded) {
      // an embedded channel fires channelInactive only when its pending tasks run
      scheduler.execute(embedded::runPendingTasks);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    bytesRead += bytes.readableBytes();
    Consumer<ByteBuf> r = reader;
    if (r != null && pending.isEmpty()) {
      r.accept(bytes);
    } else {
      pending.add(bytes);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePending();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    releasePending();
    List<Runnable> listeners = List.copyOf(closeListeners);
    closeListeners.clear();
    listeners.forEach(Runnable::run);
  }

  private void releasePending() {
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      b.release();
    }
  }
}
