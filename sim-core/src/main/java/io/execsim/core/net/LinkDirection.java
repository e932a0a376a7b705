package io.execsim.core.net;

import io.execsim.core.net.toxic.Toxic;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a link: the bytes one end writes, on their way to the other, through the toxics put on it.
 * Offsets count the bytes the sending end wrote into this direction, from zero. Without toxics a write reaches the
 * receiving end in a scheduler task of its own, at the same virtual time; a close of the sending end follows its
 * bytes as a FIN.
 *
 * <p>Runs on the simulation's thread, like the link's ends; add toxics there too. The direction closes when its
 * receiving end closes, when a FIN has reached that end, or when the link is reset; nothing crosses it afterwards,
 * and its toxics are dropped with what they held.
 */
public final class LinkDirection implements ByteWay {
  private static final Logger log = LoggerFactory.getLogger(LinkDirection.class);

  private final Link link;
  private final Direction direction;
  private final SimChannel sender;
  private final SimChannel receiver;
  private final ToxicChain chain;
  private final ArrayDeque<Runnable> deliveries = new ArrayDeque<>();
  private boolean ended;
  private boolean finished;
  private boolean closed;

  LinkDirection(Link link, Direction direction, SimChannel sender, SimChannel receiver) {
    this.link = link;
    this.direction = direction;
    this.sender = sender;
    this.receiver = receiver;
    this.chain = new ToxicChain(this, new Host());
  }

  /** The link. */
  public Link link() {
    return link;
  }

  /** Which direction of the link this is. */
  public Direction direction() {
    return direction;
  }

  @Override
  public long bytesSent() {
    return chain.sent();
  }

  /** The bytes that have passed every toxic toward the receiving end so far. */
  public long bytesDelivered() {
    return chain.delivered();
  }

  /** Whether bytes can still cross: neither closed, nor ended by a FIN that reached the receiving end's side. */
  @Override
  public boolean isOpen() {
    return !closed && !finished;
  }

  /** The toxics on this direction, in the order they act. */
  public List<ActiveToxic> toxics() {
    return chain.toxics();
  }

  /**
   * Puts {@code toxic} on this direction, after those already on it, acting from byte {@code fromOffset} of the
   * direction on: bytes before that offset pass it untouched. An offset the toxic's position in the stream has
   * already passed (zero, say) starts it at once. Its start, and each time it acts on the connection as a whole (a
   * reset, a close), is recorded in the trace as a fired fault.
   *
   * @throws IllegalStateException when the direction is no longer open
   */
  @Override
  public ActiveToxic add(Toxic toxic, long fromOffset) {
    Objects.requireNonNull(toxic, "toxic");
    if (!isOpen()) {
      throw new IllegalStateException("link direction is closed: " + this);
    }
    ActiveToxic active = chain.add(toxic, fromOffset);
    log.debug("{} {}: added {} from byte {}", link.name(), direction.label(), toxic, fromOffset);
    return active;
  }

  @Override
  public void whenSent(long offset, Runnable action) {
    chain.whenSent(offset, action, !closed && !ended);
  }

  @Override
  public String toString() {
    return link.name() + " " + direction.label();
  }

  // TODO: a direction buffers without limit, so a stalled or paced direction never blocks the sender's writes as a
  // full TCP window would; a hop that relies on write backpressure (Go's Write blocking) sees none.
  /** The sending end wrote {@code bytes}; the link takes them over. */
  void send(ByteBuf bytes) {
    // the bytes leave the sender's buffer at once, as a kernel copies a write; nothing is left to leak in transit
    byte[] copy = new byte[bytes.readableBytes()];
    bytes.readBytes(copy);
    bytes.release();
    // the capture is what the end wrote, whether or not it got anywhere
    link.captured(direction, copy);
    if (closed || ended || copy.length == 0) {
      return;
    }
    chain.send(copy);
  }

  /** The sending end closed (or the connection is being closed for it): a FIN follows the bytes sent. */
  void end() {
    if (closed || ended) {
      return;
    }
    ended = true;
    chain.end();
  }

  private void deliver(Runnable delivery) {
    deliveries.add(delivery);
    link.network().scheduler().execute(() -> {
      Runnable next = deliveries.poll();
      if (next != null) {
        next.run();
      }
    });
  }

  /** Lets the RST follow what was already delivered on this direction; both ends then see the reset. */
  void deliverReset() {
    dropToxics();
    deliver(() -> {
      receiver.resetByPeer();
      sender.resetByPeer();
    });
  }

  /** Nothing crosses any more: held bytes are dropped, timers cancelled, pending deliveries forgotten. */
  void close() {
    dropToxics();
    deliveries.clear();
  }

  private void dropToxics() {
    closed = true;
    chain.drop();
  }

  /** What leaves the toxics goes to the receiving end, each piece in a scheduler task of its own. */
  private final class Host implements ToxicChain.Host {
    @Override
    public boolean arrive(Segment s) {
      // nothing follows a FIN on a TCP stream
      if (closed || finished) {
        return false;
      }
      if (s.isFin()) {
        finished = true;
        deliver(receiver::receiveFin);
      } else {
        byte[] bytes = s.bytes();
        deliver(() -> receiver.deliver(Unpooled.wrappedBuffer(bytes)));
      }
      return true;
    }

    @Override
    public void fired(ActiveToxic toxic, long offset) {
      link.fired(toxic.toxic() + " on " + LinkDirection.this + " at byte " + offset);
    }

    /** A toxic on this direction resets the connection here: what got through is delivered, then the RST. */
    @Override
    public void reset() {
      link.reset(LinkDirection.this);
    }

    /** The limit closes the connection: the other direction ends too, after what is on its way. */
    @Override
    public void limitReached() {
      link.direction(direction.reverse()).end();
    }

    @Override
    public Scheduler scheduler() {
      return link.network().scheduler();
    }

    @Override
    public SimRandom random() {
      return link.network().random();
    }
  }
}
