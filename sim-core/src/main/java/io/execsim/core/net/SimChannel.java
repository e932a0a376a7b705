package io.execsim.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a simulated connection: a Netty channel whose pipeline runs on the simulation's thread. Bytes its
 * pipeline writes travel to the peer end in a scheduler task of their own; closing it closes the peer in the same
 * way, as a TCP FIN and close would. Messages that reach the end of the pipeline unread are released.
 */
public final class SimChannel extends EmbeddedChannel {
  private static final Logger log = LoggerFactory.getLogger(SimChannel.class);

  private final Link link;
  private final boolean client;

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
    if (!isOpen()) {
      bytes.release();
      return;
    }
    pipeline().fireChannelRead(bytes);
    pipeline().fireChannelReadComplete();
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

  @Nullable SimChannel peer() {
    return link.peerOf(this);
  }
}
