package io.execsim.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One side of the comparison, real or simulated: what {@link ScenarioRunner} needs to run a scenario on it. A side
 * runs one scenario at a time, each on a runtime of its own: {@link #begin} sets it up, {@link #end} takes it all
 * down, whatever happened in between.
 */
public interface Side {

  /** {@code real} or {@code execsim}. */
  String name();

  /** What this side is, e.g. the versions of its containerd and runc. */
  Map<String, String> versions();

  /**
   * Sets up a fresh runtime for {@code scenario}: mounts, containerd running on {@code ${SOCKET}}, the root file
   * system and the bundle, and the scenario's files in {@code ${FILES}}. Returns the values of every variable.
   */
  Variables begin(Scenario scenario);

  /** Starts {@code command}; its result is taken with {@link Running#await}. */
  Running start(Command command);

  /** Lets {@code time} pass: a real side sleeps, a simulated one advances its clock. */
  void sleep(Duration time);

  /** Does {@code action}; throws {@link IllegalStateException} with the reason if the side cannot. */
  void act(Action action);

  /**
   * The files the scenario left where the runtime should leave nothing: everything in {@code ${SHIMTMP}} and
   * {@code ${SCRATCH}} but what {@code fill} put there, hidden {@code .<name>.pid} files below {@code ${STATE}}, and
   * the FIFO directories of {@code ctr} below {@code /run/containerd/fifo} that this scenario made. Directories end
   * with {@code /}.
   */
  List<String> leftovers();

  /** Stops everything the scenario started and removes what {@link #begin} set up; never throws. */
  void end();

  /** A command that runs. */
  interface Running {

    /**
     * Waits until the command ends and returns what it printed and returned, or, if it runs for {@code limit}
     * after its start, stops it and returns it as hung.
     */
    StepResult await(Duration limit);
  }
}
