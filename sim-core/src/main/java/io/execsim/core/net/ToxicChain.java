package io.execsim.core.net;

import io.execsim.core.net.toxic.Toxic;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The toxics of one {@link ByteWay} and the byte count they work on: what the writer sent enters the first toxic,
 * each hands what it lets through to the next, and what leaves the last arrives at the way's {@link Host}, which
 * delivers it. Offsets count the bytes the writer sent, from zero. Used on the simulation's thread.
 */
final class ToxicChain {
  /** What a way does with what crosses its toxics, and what it offers them. */
  interface Host {
    /** {@code s} has passed every toxic; answers whether it was delivered, or dropped after the end. */
    boolean arrive(Segment s);

    /** {@code toxic} fired at {@code offset}; the host records it in the trace. */
    void fired(ActiveToxic toxic, long offset);

    /** A {@link io.execsim.core.net.toxic.Reset} started: the connection is reset here. */
    void reset();

    /** A {@link io.execsim.core.net.toxic.LimitData} let its last byte through: the peer goes away. */
    void limitReached();

    /** The scheduler the toxics' timers run on. */
    Scheduler scheduler();

    /** The seeded source of the toxics' random choices. */
    SimRandom random();
  }

  private record Watch(long offset, Runnable action) {
  }

  private final ByteWay way;
  private final Host host;
  private final List<ActiveToxic> toxics = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();
  private long sent;
  private long delivered;
  private boolean dropped;

  ToxicChain(ByteWay way, Host host) {
    this.way = way;
    this.host = host;
  }

  ByteWay way() {
    return way;
  }

  Host host() {
    return host;
  }

  long sent() {
    return sent;
  }

  long delivered() {
    return delivered;
  }

  boolean isEmpty() {
    return toxics.isEmpty();
  }

  List<ActiveToxic> toxics() {
    return List.copyOf(toxics);
  }

  /** Puts {@code toxic} after the others; it starts at once when its offset lies at or before the delivered bytes. */
  ActiveToxic add(Toxic toxic, long fromOffset) {
    Objects.requireNonNull(toxic, "toxic");
    if (fromOffset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + fromOffset);
    }
    ActiveToxic active = ActiveToxic.of(this, toxic, fromOffset);
    toxics.add(active);
    if (fromOffset <= delivered) {
      active.startAt(delivered);
    }
    return active;
  }

  /** Runs {@code action} once the writer reaches {@code offset}; see {@link ByteWay#whenSent}. */
  void whenSent(long offset, Runnable action, boolean accepting) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
    if (offset <= sent) {
      action.run();
    } else if (accepting && !dropped) {
      watches.add(new Watch(offset, action));
    }
  }

  /** Takes {@code toxic} off; what it holds flows on at once. False when it was not on the chain. */
  boolean remove(ActiveToxic toxic) {
    if (!toxics.contains(toxic)) {
      return false;
    }
    toxic.flush();
    toxics.remove(toxic);
    return true;
  }

  /** The writer wrote {@code bytes}: the watches of those bytes run, then the bytes enter the first toxic. */
  void send(byte[] bytes) {
    Segment s = Segment.data(sent, bytes);
    runWatches(sent + bytes.length);
    sent += bytes.length;
    enter(s);
  }

  /** The writer's stream ends here: a FIN follows its bytes through the toxics. */
  void end() {
    enter(Segment.fin(sent));
  }

  /** Runs the watches whose offset lies before {@code end}, the end of the write about to enter. */
  private void runWatches(long end) {
    if (watches.isEmpty()) {
      return;
    }
    List<Watch> due = watches.stream().filter(w -> w.offset() < end).toList();
    watches.removeAll(due);
    due.forEach(w -> w.action().run());
  }

  private void enter(Segment s) {
    if (toxics.isEmpty()) {
      arrive(s);
    } else {
      toxics.get(0).accept(s);
    }
  }

  /** Hands {@code s} from {@code from} to the next toxic, or to the host after the last. */
  void forward(ActiveToxic from, Segment s) {
    if (dropped) {
      return;
    }
    int i = toxics.indexOf(from);
    if (i < 0) {
      return;
    }
    if (i + 1 < toxics.size()) {
      toxics.get(i + 1).accept(s);
    } else {
      arrive(s);
    }
  }

  private void arrive(Segment s) {
    if (host.arrive(s) && !s.isFin()) {
      delivered = s.end();
    }
  }

  /** Nothing crosses any more: the watches are forgotten and every toxic dropped with what it held. */
  void drop() {
    dropped = true;
    watches.clear();
    List<ActiveToxic> all = List.copyOf(toxics);
    toxics.clear();
    all.forEach(ActiveToxic::drop);
  }

  /** Forgets the watches; the toxics stay. */
  void forgetWatches() {
    watches.clear();
  }
}
