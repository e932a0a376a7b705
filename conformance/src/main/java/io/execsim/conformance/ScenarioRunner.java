package io.execsim.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scenarios on a {@link Side}, the same way on every side: steps in order, the events of a command at their
 * times after its start, each command's result recorded in the order the commands started.
 */
public final class ScenarioRunner {
  private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);

  private ScenarioRunner() {
  }

  /** Runs every scenario on {@code side}. */
  public static Recording runAll(List<Scenario> scenarios, Side side) {
    List<ScenarioRecord> records = new ArrayList<>();
    for (Scenario s : scenarios) {
      records.add(run(s, side));
    }
    return new Recording(side.name(), side.versions(), records);
  }

  /** Runs {@code scenario} on {@code side}; a failure of the side is recorded, not thrown. */
  public static ScenarioRecord run(Scenario scenario, Side side) {
    log.info("{}: scenario {}", side.name(), scenario.name());
    List<StepResult> results = new ArrayList<>();
    Variables vars = null;
    List<String> leftovers = List.of();
    String error = null;
    try {
      vars = side.begin(scenario);
      for (Step step : scenario.steps()) {
        run(step, side, vars, results);
      }
      leftovers = side.leftovers();
    } catch (RuntimeException e) {
      log.warn("{}: scenario {} did not run to its end", side.name(), scenario.name(), e);
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } finally {
      side.end();
    }
    return new ScenarioRecord(scenario.name(), vars == null ? java.util.Map.of() : vars.values(), results,
        leftovers, error);
  }

  private static void run(Step step, Side side, Variables vars, List<StepResult> results) {
    if (step.kind() == Step.Kind.DO) {
      act(step.action(), side);
      return;
    }
    Side.Running running = side.start(step.command(vars));
    int slot = results.size();
    results.add(null);
    Duration now = Duration.ZERO;
    for (Step event : step.during()) {
      side.sleep(event.after().minus(now));
      now = event.after();
      if (event.kind() == Step.Kind.DO) {
        act(event.action(), side);
      } else {
        results.add(side.start(event.command(vars)).await(event.limit()).withStep(event.label()));
      }
    }
    results.set(slot, running.await(step.limit()).withStep(step.label()));
  }

  private static void act(Action action, Side side) {
    if (action.verb() == Action.Verb.WAIT) {
      side.sleep(action.waitTime());
    } else {
      side.act(action);
    }
  }
}
