package io.execsim.core.net;

import io.execsim.core.net.toxic.Toxic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
public final class LinkDirection {
  private static final Logger log = LoggerFactory.getLogger(LinkDirection.class);

  private final Link link;
  private final Direction direction;
  private final SimChannel sender;
  private final SimChannel receiver;
  private final List<ActiveToxic> chain = new ArrayList<>();
  private final ArrayDeque<Runnable> deliveries = new ArrayDeque<>();
  private long sent;
  private long delivered;
  private boolean ended;
  private boolean finished;
  private boolean closed;

  LinkDirection(Link link, Direction direction, SimChannel sender, SimChannel receiver) {
    this.link = link;
    this.direction = direction;
    this.sender = sender;
    this.receiver = receiver;
  }

  /** The link. */
  public Link link() {
    return link;
  }

  /** Which direction of the link this is. */
  public Direction direction() {
    return direction;
  }

  /** The bytes the sending end has written into this direction so far: the offset of its next byte. */
  public long bytesSent() {
    return sent;
  }

  /** The bytes that have passed every toxic toward the receiving end so far. */
  public long bytesDelivered() {
    return delivered;
  }

  /** Whether bytes can still cross: neither closed, nor ended by a FIN that reached the receiving end's side. */
  public boolean isOpen() {
    return !closed && !finished;
  }

  /** The toxics on this direction, in the order they act. */
  public List<ActiveToxic> toxics() {
    return List.copyOf(chain);
  }

  /**
   * Puts {@code toxic} on this direction, after those already on it, acting from byte {@code fromOffset} of the
   * direction on: bytes before that offset pass it untouched. An offset the toxic's position in the stream has
   * already passed (zero, say) starts it at once. Its start, and each time it acts on the connection as a whole (a
   * reset, a close), is recorded in the trace as a fired fault.
   *
   * @throws IllegalStateException when the direction is no longer open
   */
  public ActiveToxic add(Toxic toxic, long fromOffset) {
    Objects.requireNonNull(toxic, "toxic");
    if (fromOffset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + fromOffset);
    }
    if (!isOpen()) {
      throw new IllegalStateException("link direction is closed: " + this);
    }
    ActiveToxic active = ActiveToxic.of(this, toxic, fromOffset);
    chain.add(active);
    log.debug("{} {}: added {} from byte {}", link.name(), direction.label(), toxic, fromOffset);
    if (fromOffset <= delivered) {
      active.startAt(delivered);
    }
    return active;
  }

  @Override
  public String toString() {
    return link.name() + " " + direction.label();
  }

  void remove(ActiveToxic toxic) {
    if (!chain.contains(toxic)) {
      return;
    }
    toxic.flush();
    chain.remove(toxic);
    log.debug("{} {}: removed {}", link.name(), direction.label(), toxic.toxic());
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
    Segment s = Segment.data(sent, copy);
    sent += copy.length;
    enter(s);
  }

  /** The sending end closed (or the connection is being closed for it): a FIN follows the bytes sent. */
  void end() {
    if (closed || ended) {
      return;
    }
    ended = true;
    enter(Segment.fin(sent));
  }

  private void enter(Segment s) {
    if (chain.isEmpty()) {
      arrive(s);
    } else {
      chain.get(0).accept(s);
    }
  }

  /** Hands {@code s} from {@code from} to the next toxic, or toward the receiving end after the last. */
  void forward(ActiveToxic from, Segment s) {
    if (closed) {
      return;
    }
    int i = chain.indexOf(from);
    if (i < 0) {
      return;
    }
    if (i + 1 < chain.size()) {
      chain.get(i + 1).accept(s);
    } else {
      arrive(s);
    }
  }

  private void arrive(Segment s) {
    // nothing follows a FIN on a TCP stream
    if (finished) {
      return;
    }
    if (s.isFin()) {
      finished = true;
      deliver(receiver::receiveFin);
    } else {
      delivered = s.end();
      byte[] bytes = s.bytes();
      deliver(() -> receiver.deliver(Unpooled.wrappedBuffer(bytes)));
    }
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

  void fired(ActiveToxic toxic, long offset) {
    link.fired(toxic.toxic() + " on " + this + " at byte " + offset);
  }

  /** A toxic on this direction resets the connection here: what got through is delivered, then the RST. */
  void reset() {
    link.reset(this);
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
    List<ActiveToxic> all = List.copyOf(chain);
    chain.clear();
    all.forEach(ActiveToxic::drop);
  }
}
