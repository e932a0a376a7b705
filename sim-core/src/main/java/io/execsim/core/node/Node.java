package io.execsim.core.node;

import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.process.ProcessTable;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;

/**
 * A simulated machine as every hop on it sees it: its scheduler and clock, its seeded random source, its file
 * system, its unix sockets, its process table, and the trace that all hops write to.
 */
public final class Node {
  private final String name;
  private final Scheduler scheduler;
  private final SimRandom random;
  private final Trace trace;
  private final NodeFileSystem fs;
  private final ProcessTable processes;
  private final UnixSockets sockets;

  /** A node named {@code name} with an empty file system. */
  public Node(String name, Scheduler scheduler, SimRandom random, Trace trace) {
    this.name = name;
    this.scheduler = scheduler;
    this.random = random;
    this.trace = trace;
    this.fs = new NodeFileSystem(scheduler);
    this.processes = new ProcessTable(random);
    this.sockets = new UnixSockets(fs, scheduler);
  }

  /** The node's name. */
  public String name() {
    return name;
  }

  /** The scheduler and clock. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The seeded random source. */
  public SimRandom random() {
    return random;
  }

  /** The trace of the whole simulation. */
  public Trace trace() {
    return trace;
  }

  /** The file system. */
  public NodeFileSystem fs() {
    return fs;
  }

  /** The unix sockets listening on the node. */
  public UnixSockets sockets() {
    return sockets;
  }

  /** The process table. */
  public ProcessTable processes() {
    return processes;
  }
}
