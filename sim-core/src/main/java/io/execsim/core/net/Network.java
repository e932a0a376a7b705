package io.execsim.core.net;

import io.execsim.core.error.GoError;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated network between hops: listeners by address ({@code host:port}) and connections between them. A
 * listener's initializer sets up the pipeline of each accepted end, a dialer's the pipeline of its own end; both
 * run on the simulation's scheduler. Dialing an address nobody listens on fails as Go's dialer does. Toxics on a
 * link's directions ({@link Link#direction}) draw their random choices from the network's seeded source and record
 * their firing in its trace.
 */
public final class Network {
  private static final Logger log = LoggerFactory.getLogger(Network.class);

  private final Scheduler scheduler;
  private final SimRandom random;
  private final Trace trace;
  private final Map<String, Consumer<SimChannel>> listeners = new LinkedHashMap<>();
  private final List<Link> links = new ArrayList<>();
  private final List<Consumer<Link>> linkListeners = new ArrayList<>();
  private boolean capture;
  private int dials;

  /**
   * A network with no listeners on {@code scheduler}, for a test of one hop: its toxics draw from a source seeded
   * with 0 and record their firing in a trace of its own that nobody reads.
   */
  public Network(Scheduler scheduler) {
    this(scheduler, new SimRandom(0), new Trace(scheduler));
  }

  /** A network with no listeners on {@code scheduler}; toxics draw from {@code random} and record in {@code trace}. */
  public Network(Scheduler scheduler, SimRandom random, Trace trace) {
    this.scheduler = scheduler;
    this.random = random;
    this.trace = trace;
  }

  /** The scheduler all ends run on. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Whether new links keep a copy of their bytes ({@link Link#clientBytes()}, {@link Link#serverBytes()}). */
  public synchronized void setCapture(boolean on) {
    capture = on;
  }

  /**
   * Runs {@code listener} with every link dialed from now on, on the simulation's thread, as the connection is
   * made: before either end's pipeline is set up and before any byte crosses it, so that toxics put on it then act
   * from the first byte.
   */
  public synchronized void addLinkListener(Consumer<Link> listener) {
    linkListeners.add(listener);
  }

  /** Listens on {@code address}; {@code init} sets up the pipeline of each accepted connection. */
  public synchronized void listen(String address, Consumer<SimChannel> init) {
    if (listeners.putIfAbsent(address, init) != null) {
      throw new IllegalStateException("address already in use: " + address);
    }
  }

  /** Stops listening on {@code address}; open connections stay. */
  public synchronized void unlisten(String address) {
    listeners.remove(address);
  }

  /** Whether something listens on {@code address}. */
  public synchronized boolean isListening(String address) {
    return listeners.containsKey(address);
  }

  /**
   * Connects {@code from} (a name for the trace) to {@code address}. {@code init} sets up the dialing end's
   * pipeline before it becomes active. Fails with {@code dial tcp <address>: connect: connection refused} when
   * nothing listens there.
   */
  public CompletionStage<SimChannel> dial(String from, String address, Consumer<SimChannel> init) {
    Consumer<SimChannel> accept;
    Link link;
    List<Consumer<Link>> told;
    synchronized (this) {
      accept = listeners.get(address);
      if (accept == null) {
        return CompletableFuture.failedFuture(
            GoError.of("dial tcp " + address + ": connect: connection refused"));
      }
      link = new Link(this, from, address, from + "->" + address + "#" + (++dials), capture);
      links.add(link);
      told = List.copyOf(linkListeners);
    }
    CompletableFuture<SimChannel> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        // toxics put on the link now act from its first byte; one that resets it at once does so after the connect
        told.forEach(l -> l.accept(link));
        accept.accept(link.server());
        link.server().start();
        init.accept(link.client());
        link.client().start();
        log.debug("{} connected", link.name());
        done.complete(link.client());
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  SimRandom random() {
    return random;
  }

  Trace trace() {
    return trace;
  }

  /** Every link made so far, oldest first. */
  public synchronized List<Link> links() {
    return List.copyOf(links);
  }

  /** The links still open at either end. */
  public synchronized List<Link> openLinks() {
    return links.stream().filter(l -> l.client().isOpen() || l.server().isOpen()).toList();
  }
}
