package io.execsim.core.process;

import io.execsim.core.sched.SimRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The node's process table: pids, and the processes that run or ran. A reaper (the shim, as a subreaper) asks for
 * a process's exit by pid; an ended process stays in the table until reaped, so the exit is never missed.
 */
public final class ProcessTable {
  private final TreeMap<Integer, ProcessHandle> processes = new TreeMap<>();
  private int nextPid;

  /** A table whose pids start at a seeded value between 1000 and 30999. */
  public ProcessTable(SimRandom random) {
    this.nextPid = 1000 + random.nextInt(30_000);
  }

  /** A fresh pid. */
  public synchronized int allocatePid() {
    return nextPid++;
  }

  /** Adds a started process. */
  public synchronized void add(ProcessHandle process) {
    processes.put(process.pid(), process);
  }

  /** The process with {@code pid}, unless it was reaped. */
  public synchronized Optional<ProcessHandle> get(int pid) {
    return Optional.ofNullable(processes.get(pid));
  }

  /** Waits for the process with {@code pid} to end and removes it from the table. */
  public synchronized CompletionStage<ExitStatus> reap(int pid) {
    ProcessHandle p = processes.get(pid);
    if (p == null) {
      throw new IllegalArgumentException("no such process: " + pid);
    }
    return p.exit().whenComplete((status, e) -> remove(pid));
  }

  private synchronized void remove(int pid) {
    processes.remove(pid);
  }

  /** The processes still running, by pid. */
  public synchronized List<ProcessHandle> running() {
    List<ProcessHandle> out = new ArrayList<>();
    for (ProcessHandle p : processes.values()) {
      if (p.isRunning()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The processes still running in {@code containerId}, by pid. */
  public synchronized List<ProcessHandle> running(String containerId) {
    return running().stream().filter(p -> p.containerId().equals(containerId)).toList();
  }
}
