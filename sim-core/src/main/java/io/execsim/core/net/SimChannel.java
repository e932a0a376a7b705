package io.execsim.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a simulated connection: a Netty channel whose pipeline runs on the simulation's thread. Bytes its
 * pipeline writes travel to the peer end in a scheduler task of their own; closing it sends a FIN after them, and
 * the peer closes when the FIN arrives, as a Netty socket channel does by default. An end that {@linkplain
 * #setAllowHalfClosure allows half-closure} instead gets a {@link ChannelInputShutdownEvent} and can go on writing.
 * A reset connection fires a {@link ConnectionResetException} through the pipeline and closes the channel, as a
 * socket channel does on {@code ECONNRESET}. Messages that reach the end of the pipeline unread are released.
 */
public final class SimChannel extends EmbeddedChannel {
  private static final Logger log = LoggerFactory.getLogger(SimChannel.class);

  private final Link link;
  private final boolean client;
  private boolean allowHalfClosure;
  private boolean inputShutdown;

  SimChannel(Link link, boolean client) {
    super(false, false);
    this.link = link;
    this.client = client;
  }

  /** The link this channel is an end of. */
  public Link link() {
    return link;
  }

  /** Whether this is the dialing end. */
  public boolean isClient() {
    return client;
  }

  /**
   * Whether this end stays open when the peer's FIN arrives, as {@code ChannelOption.ALLOW_HALF_CLOSURE} makes a
   * socket channel do: it then gets {@link ChannelInputShutdownEvent} and {@link ChannelInputShutdownReadComplete},
   * reads nothing more, and may still write. Off by default: the FIN closes the channel.
   */
  public void setAllowHalfClosure(boolean on) {
    allowHalfClosure = on;
  }

  /** Whether the peer's FIN arrived while half-closure was allowed, so that nothing more is read. */
  public boolean isInputShutdown() {
    return inputShutdown;
  }

  void start() {
    try {
      register();
    } catch (Exception e) {
      throw new IllegalStateException("registering an embedded channel cannot fail", e);
    }
    settle();
  }

  @Override
  protected void handleOutboundMessage(Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ReferenceCountUtil.release(msg);
      throw new IllegalStateException("only bytes travel on a link, not " + msg.getClass().getName());
    }
    link.send(this, (ByteBuf) msg);
  }

  @Override
  protected void handleInboundMessage(Object msg) {
    log.trace("{} dropped an unread {}", link.name(), msg.getClass().getSimpleName());
    ReferenceCountUtil.release(msg);
  }

  @Override
  protected void doClose() throws Exception {
    super.doClose();
    link.closed(this);
  }

  /** Delivers bytes from the peer into this channel's pipeline. */
  void deliver(ByteBuf bytes) {
    if (!isOpen() || inputShutdown) {
      bytes.release();
      return;
    }
    pipeline().fireChannelRead(bytes);
    pipeline().fireChannelReadComplete();
    settle();
  }

  /** The peer's FIN arrived: end of stream. */
  void receiveFin() {
    if (!isOpen() || inputShutdown) {
      return;
    }
    if (allowHalfClosure) {
      inputShutdown = true;
      pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
    } else {
      close();
    }
    settle();
  }

  // TODO: a write after the reset fails as a write to a closed channel (ClosedChannelException), not with the
  // IOException a socket channel gives (Broken pipe); hops that report write errors see the closed channel instead.
  /** An RST arrived: the pipeline gets the reset as an exception, then the channel closes without a FIN. */
  void resetByPeer() {
    if (!isOpen()) {
      return;
    }
    pipeline().fireExceptionCaught(new ConnectionResetException());
    close();
    settle();
  }

  /** Runs what the pipeline left for the event loop and surfaces exceptions it recorded. */
  void settle() {
    runPendingTasks();
    try {
      checkException();
    } catch (Exception e) {
      log.debug("{}: pipeline exception: {}", link.name(), e.toString());
    }
  }

  SimChannel peer() {
    return link.peerOf(this);
  }
}
