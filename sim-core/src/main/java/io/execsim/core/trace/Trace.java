package io.execsim.core.trace;

import io.execsim.core.sched.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every hop of a simulation did, in the order it did it. Hops record events; tests and people read them back
 * as values or as text. The same seed and inputs give the same trace text, byte for byte.
 */
public final class Trace {
  private static final Logger log = LoggerFactory.getLogger(Trace.class);

  private final Scheduler scheduler;
  private final Instant epoch;
  private final List<TraceEvent> events = new ArrayList<>();
  private final List<Consumer<TraceEvent>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** An empty trace whose times count from the scheduler's current time. */
  public Trace(Scheduler scheduler) {
    this.scheduler = scheduler;
    this.epoch = scheduler.now();
  }

  /** Records that {@code hop} reached {@code phase}. */
  public void record(Hop hop, Phase phase, String detail) {
    TraceEvent e = new TraceEvent(Duration.between(epoch, scheduler.now()), hop, phase, detail);
    synchronized (events) {
      events.add(e);
    }
    log.debug("{} {} {}", hop.label(), phase.label(), detail);
    for (Consumer<TraceEvent> l : listeners) {
      l.accept(e);
    }
  }

  /**
   * Calls {@code listener} with each event recorded from now on, right after it is recorded, on the thread that
   * records it, in the middle of the hop's work: a listener that wants to change what happens schedules that on the
   * simulation's scheduler instead of doing it inline. Closing the subscription stops the calls.
   */
  public Subscription subscribe(Consumer<TraceEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** A listener's subscription to a trace. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    /** Stops the calls to the listener. */
    @Override
    void close();
  }

  /** Forgets the events recorded so far, e.g. between the runs of a long loop; times still count from the start. */
  public void clear() {
    synchronized (events) {
      events.clear();
    }
  }

  /** The events so far, oldest first. */
  public List<TraceEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The events of one hop, oldest first. */
  public List<TraceEvent> events(Hop hop) {
    return events().stream().filter(e -> e.hop() == hop).toList();
  }

  /** Whether {@code hop} recorded {@code phase}. */
  public boolean has(Hop hop, Phase phase) {
    return events().stream().anyMatch(e -> e.hop() == hop && e.phase() == phase);
  }

  /**
   * The trace as a Mermaid sequence diagram, one participant per hop in the chain's order. A step on another hop than
   * the step before it is drawn as an arrow from that hop; a step on the same hop as a note over it.
   */
  public String toMermaid() {
    List<TraceEvent> all = events();
    StringBuilder b = new StringBuilder("sequenceDiagram\n");
    java.util.EnumSet<Hop> seen = java.util.EnumSet.noneOf(Hop.class);
    all.forEach(e -> seen.add(e.hop()));
    for (Hop h : seen) {
      b.append("  participant ").append(h.label()).append('\n');
    }
    Hop previous = null;
    for (TraceEvent e : all) {
      String text = mermaidText(e.phase().label() + " " + e.detail());
      if (previous == null || previous == e.hop()) {
        b.append("  Note over ").append(e.hop().label()).append(": ").append(text).append('\n');
      } else {
        b.append("  ").append(previous.label()).append("->>").append(e.hop().label()).append(": ").append(text)
            .append('\n');
      }
      previous = e.hop();
    }
    return b.toString();
  }

  private static String mermaidText(String s) {
    String flat = s.replace('\n', ' ').replace(";", ",").replace("#", "no.");
    return flat.length() > 80 ? flat.substring(0, 77) + "..." : flat;
  }

  /** The trace as text, one event per line. */
  public String render() {
    StringBuilder b = new StringBuilder();
    for (TraceEvent e : events()) {
      b.append(e.render()).append('\n');
    }
    return b.toString();
  }
}
