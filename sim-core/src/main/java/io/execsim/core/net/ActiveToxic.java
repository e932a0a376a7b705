package io.execsim.core.net;

import io.execsim.core.net.toxic.Bandwidth;
import io.execsim.core.net.toxic.Corrupt;
import io.execsim.core.net.toxic.HalfClose;
import io.execsim.core.net.toxic.Latency;
import io.execsim.core.net.toxic.LimitData;
import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Slicer;
import io.execsim.core.net.toxic.Stall;
import io.execsim.core.net.toxic.Toxic;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * A toxic put on a {@link ByteWay} (one direction of a link, or a FIFO of an exec), from a byte offset of that way
 * on. It starts when the stream reaches that offset (bytes before it pass untouched), or at once when it already
 * has; from then on it acts on what crosses, as its {@link Toxic} kind says. {@link #remove()} takes it off: what it
 * holds then flows on at once, in order.
 *
 * <p>Runs on the simulation's thread, like the way's ends; add and remove toxics there too (in deterministic mode,
 * from the thread that drives the scheduler). Closing the way (a close of a link's receiving end, a reset, the end of
 * an exec's FIFO set) removes every toxic on it, drops what they hold and cancels their timers.
 */
public abstract class ActiveToxic {
  private final ToxicChain chain;
  private final long fromOffset;
  private boolean started;
  private boolean done;

  ActiveToxic(ToxicChain chain, long fromOffset) {
    this.chain = chain;
    this.fromOffset = fromOffset;
  }

  static ActiveToxic of(ToxicChain chain, Toxic toxic, long fromOffset) {
    if (toxic instanceof Latency t) {
      return new LatencyStage(chain, t, fromOffset);
    } else if (toxic instanceof Bandwidth t) {
      return new BandwidthStage(chain, t, fromOffset);
    } else if (toxic instanceof Stall t) {
      return new StallStage(chain, t, fromOffset);
    } else if (toxic instanceof Reset t) {
      return new ResetStage(chain, t, fromOffset);
    } else if (toxic instanceof HalfClose t) {
      return new HalfCloseStage(chain, t, fromOffset);
    } else if (toxic instanceof Slicer t) {
      return new SlicerStage(chain, t, fromOffset);
    } else if (toxic instanceof LimitData t) {
      return new LimitDataStage(chain, t, fromOffset);
    } else if (toxic instanceof Corrupt t) {
      return new CorruptStage(chain, t, fromOffset);
    }
    throw new IllegalArgumentException("unknown toxic: " + toxic.getClass().getName());
  }

  /** The toxic's kind and parameters. */
  public abstract Toxic toxic();

  /** The way it is on. */
  public ByteWay way() {
    return chain.way();
  }

  /** The offset of the way's byte stream from which it acts. */
  public long fromOffset() {
    return fromOffset;
  }

  /** Whether the stream has reached its offset, so that it acts. */
  public boolean hasStarted() {
    return started;
  }

  /** Whether it is still on its way: neither removed nor dropped with a closed way. */
  public boolean isActive() {
    return !done;
  }

  /** Takes it off its way; what it holds flows on at once, in order. Does nothing when inactive. */
  public void remove() {
    chain.remove(this);
  }

  @Override
  public String toString() {
    return toxic() + " from byte " + fromOffset + " on " + chain.way();
  }

  /** Takes a segment from the toxic before it (or the sender); passes on what lies before the offset. */
  final void accept(Segment s) {
    if (done) {
      return;
    }
    Segment rest = s;
    if (!started) {
      if (rest.offset() < fromOffset) {
        if (rest.isFin() || rest.end() <= fromOffset) {
          pass(rest);
          return;
        }
        if (cutsAtOffset()) {
          Segment head = rest.head(fromOffset);
          rest = rest.tail(fromOffset);
          pass(head);
          if (done) {
            return;
          }
        }
      }
      startAt(Math.max(fromOffset, rest.offset()));
      if (done) {
        return;
      }
    }
    onSegment(rest);
  }

  /** Starts at {@code offset}, the stream's position when the toxic starts acting. */
  final void startAt(long offset) {
    started = true;
    onStart(offset);
  }

  /** Being removed: hands on everything held, in order, and stops. */
  final void flush() {
    onFlush();
    done = true;
  }

  /** The way closed: forgets everything held and stops. */
  final void drop() {
    done = true;
    onDrop();
  }

  /**
   * Whether a segment that straddles the offset is cut there, so that only its tail meets the toxic; a toxic that
   * can act inside a segment says no, and then gets the whole segment.
   */
  boolean cutsAtOffset() {
    return true;
  }

  /** The toxic starts acting at {@code offset}. */
  abstract void onStart(long offset);

  /** A segment at or past the offset, after the start. */
  abstract void onSegment(Segment s);

  /** Hands on what is held and cancels timers; nothing by default. */
  void onFlush() {
  }

  /** Forgets what is held and cancels timers; nothing by default. */
  void onDrop() {
  }

  /** Hands {@code s} to the next toxic, or toward the reading end after the last. */
  final void pass(Segment s) {
    chain.forward(this, s);
  }

  /** Records in the trace that the toxic fired at {@code offset}. */
  final void fired(long offset) {
    chain.host().fired(this, offset);
  }

  /** The way's host, for the toxics that act on the connection as a whole. */
  final ToxicChain.Host host() {
    return chain.host();
  }

  final boolean isDone() {
    return done;
  }

  final Instant now() {
    return scheduler().now();
  }

  final SimRandom random() {
    return chain.host().random();
  }

  /** Runs {@code task} after {@code delay} unless the toxic has stopped by then. */
  final Scheduler.Cancellable later(Duration delay, Runnable task) {
    return scheduler().schedule(delay.isNegative() ? Duration.ZERO : delay, () -> {
      if (!done) {
        task.run();
      }
    });
  }

  private Scheduler scheduler() {
    return chain.host().scheduler();
  }
}
