package io.execsim.core.net;

import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated connection between a dialing end and a listening end. It carries bytes in order, each write in a
 * scheduler task of its own, and can keep a copy of everything that crossed it in either direction for tests that
 * decode the bytes of a link. Each direction can carry toxics ({@link #direction}) that delay, pace, slice, hold,
 * corrupt, end or reset it.
 *
 * <p>Closing an end sends a FIN after the bytes it wrote, and the other end closes when the FIN reaches it (or, when
 * it allows half-closure, shuts its input down). A reset closes both ends at once, each with a {@link
 * ConnectionResetException}, and sends no FIN.
 */
public final class Link {
  private static final Logger log = LoggerFactory.getLogger(Link.class);

  private final Network network;
  private final String name;
  private final String address;
  private final Hop hop;
  private final SimChannel client;
  private final SimChannel server;
  private final LinkDirection toServer;
  private final LinkDirection toClient;
  private final boolean capture;
  private final ByteArrayOutputStream clientSent = new ByteArrayOutputStream();
  private final ByteArrayOutputStream serverSent = new ByteArrayOutputStream();
  private boolean reset;

  Link(Network network, String dialer, String address, String name, boolean capture) {
    this.network = network;
    this.name = name;
    this.address = address;
    this.hop = hopOf(dialer);
    this.capture = capture;
    this.client = new SimChannel(this, true);
    this.server = new SimChannel(this, false);
    this.toServer = new LinkDirection(this, Direction.TO_SERVER, client, server);
    this.toClient = new LinkDirection(this, Direction.TO_CLIENT, server, client);
  }

  // TODO: a fault on a link is traced under the hop that dialed it (or the node, for an unknown dialer), since the
  // trace has no participant for the network itself; a diagram draws it at the dialer, not between both ends.
  private static Hop hopOf(String dialer) {
    String label = dialer.split("[@:]", 2)[0];
    for (Hop h : Hop.values()) {
      if (h.label().equals(label)) {
        return h;
      }
    }
    return Hop.NODE;
  }

  /** The link's name in the trace, e.g. {@code kubectl->apiserver#3}. */
  public String name() {
    return name;
  }

  /** The address the link was dialed to, {@code host:port}. */
  public String address() {
    return address;
  }

  /** The dialing end. */
  public SimChannel client() {
    return client;
  }

  /** The listening end. */
  public SimChannel server() {
    return server;
  }

  /** One direction of the link, to put toxics on. */
  public LinkDirection direction(Direction direction) {
    return direction == Direction.TO_SERVER ? toServer : toClient;
  }

  /** Whether the link was reset (by a {@link io.execsim.core.net.toxic.Reset} toxic). */
  public boolean isReset() {
    return reset;
  }

  /** The bytes the client sent, if the link captures. */
  public synchronized byte[] clientBytes() {
    return clientSent.toByteArray();
  }

  /** The bytes the server sent, if the link captures. */
  public synchronized byte[] serverBytes() {
    return serverSent.toByteArray();
  }

  @Override
  public String toString() {
    return name;
  }

  Network network() {
    return network;
  }

  SimChannel peerOf(SimChannel end) {
    return end == client ? server : client;
  }

  void send(SimChannel from, ByteBuf bytes) {
    direction(from == client ? Direction.TO_SERVER : Direction.TO_CLIENT).send(bytes);
  }

  void captured(Direction direction, byte[] bytes) {
    if (capture) {
      synchronized (this) {
        (direction == Direction.TO_SERVER ? clientSent : serverSent).writeBytes(bytes);
      }
    }
  }

  void closed(SimChannel end) {
    if (reset) {
      return;
    }
    boolean isClient = end == client;
    direction(isClient ? Direction.TO_SERVER : Direction.TO_CLIENT).end();
    // a closed end reads nothing more: what is still on its way to it is dropped
    direction(isClient ? Direction.TO_CLIENT : Direction.TO_SERVER).close();
  }

  /** Resets the connection from {@code at}: that direction delivers what got through, then both ends are reset. */
  void reset(LinkDirection at) {
    if (reset) {
      return;
    }
    reset = true;
    log.debug("{} reset {}", name, at.direction().label());
    direction(at.direction().reverse()).close();
    at.deliverReset();
  }

  void fired(String detail) {
    log.debug("{}: {}", name, detail);
    network.trace().record(hop, Phase.FAULT_FIRED, detail);
  }
}
