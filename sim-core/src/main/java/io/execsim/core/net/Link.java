package io.execsim.core.net;

import io.execsim.core.sched.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A simulated connection between a dialing end and a listening end. It carries bytes in order, each write in a
 * scheduler task of its own, and can keep a copy of everything that crossed it in either direction for tests that
 * decode the bytes of a link.
 */
public final class Link {
  private final Scheduler scheduler;
  private final String name;
  private final SimChannel client;
  private final SimChannel server;
  private final boolean capture;
  private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();

  Link(Scheduler scheduler, String name, boolean capture) {
    this.scheduler = scheduler;
    this.name = name;
    this.capture = capture;
    this.client = new SimChannel(this, true);
    this.server = new SimChannel(this, false);
  }

  /** The link's name in the trace, e.g. {@code kubectl->apiserver#3}. */
  public String name() {
    return name;
  }

  /** The dialing end. */
  public SimChannel client() {
    return client;
  }

  /** The listening end. */
  public SimChannel server() {
    return server;
  }

  /** The bytes the client sent, if the link captures. */
  public synchronized byte[] clientBytes() {
    return toServer.toByteArray();
  }

  /** The bytes the server sent, if the link captures. */
  public synchronized byte[] serverBytes() {
    return toClient.toByteArray();
  }

  @Nullable SimChannel peerOf(SimChannel end) {
    return end == client ? server : client;
  }

  void send(SimChannel from, ByteBuf bytes) {
    // the bytes leave the sender's buffer at once, as a kernel copies a write; nothing is left to leak in transit
    byte[] copy = new byte[bytes.readableBytes()];
    bytes.readBytes(copy);
    bytes.release();
    if (capture) {
      synchronized (this) {
        (from == client ? toServer : toClient).writeBytes(copy);
      }
    }
    SimChannel to = peerOf(from);
    scheduler.execute(() -> to.deliver(Unpooled.wrappedBuffer(copy)));
  }

  void closed(SimChannel end) {
    SimChannel other = peerOf(end);
    scheduler.execute(() -> {
      if (other.isOpen()) {
        other.close();
        other.settle();
      }
    });
  }
}
