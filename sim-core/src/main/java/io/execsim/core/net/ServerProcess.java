package io.execsim.core.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The network side of a server process such as the apiserver or a kubelet: the address it listens on, the
 * connections it accepted, and the links it dialed under its dialer name. When the process dies, all of them close at
 * once, as a killed process's sockets do. Safe to use from any thread.
 */
public final class ServerProcess {
  private final Network network;
  private final String name;
  private final String address;
  private final String dialer;
  private final List<SimChannel> accepted = new ArrayList<>();
  private boolean listening;

  /** The process {@code name} listening on {@code address} and dialing as {@code dialer}; not yet listening. */
  public ServerProcess(Network network, String name, String address, String dialer) {
    this.network = network;
    this.name = name;
    this.address = address;
    this.dialer = dialer;
  }

  /** What a dying process dropped. */
  public record Dropped(long accepted, int dialed) {
  }

  /** Starts listening; {@code init} sets up each accepted connection. */
  public synchronized void listen(Consumer<SimChannel> init) {
    if (listening) {
      throw new IllegalStateException(name + " already listening on " + address);
    }
    network.listen(address, ch -> {
      synchronized (this) {
        accepted.removeIf(c -> !c.isOpen());
        accepted.add(ch);
      }
      init.accept(ch);
    });
    listening = true;
  }

  /** Stops listening; connections already open stay. */
  public synchronized void stopListening() {
    if (listening) {
      network.unlisten(address);
      listening = false;
    }
  }

  /** Whether the process listens. */
  public synchronized boolean isListening() {
    return listening;
  }

  /**
   * The process dies: nothing listens on its address any more, and every connection it accepted or dialed closes.
   * Returns how many were open.
   */
  public Dropped die() {
    List<SimChannel> open;
    synchronized (this) {
      stopListening();
      open = List.copyOf(accepted);
      accepted.clear();
    }
    Dropped dropped = new Dropped(open.stream().filter(SimChannel::isOpen).count(), dialed().size());
    open.forEach(SimChannel::close);
    closeDialed();
    // a dial the dead process had in flight still completes at the network level; its connection dies at once
    network.scheduler().execute(this::closeDialed);
    return dropped;
  }

  private List<Link> dialed() {
    String prefix = dialer + "->";
    return network.openLinks().stream().filter(l -> l.name().startsWith(prefix)).toList();
  }

  /** Closes the dialed connections that are made; one still being made is closed by the task that follows it. */
  private void closeDialed() {
    dialed().stream().filter(l -> l.client().isRegistered()).forEach(l -> l.client().close());
  }
}
