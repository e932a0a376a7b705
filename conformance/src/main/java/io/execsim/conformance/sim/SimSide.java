package io.execsim.conformance.sim;

import io.execsim.conformance.Action;
import io.execsim.conformance.Command;
import io.execsim.conformance.Scenario;
import io.execsim.conformance.Side;
import io.execsim.conformance.Variables;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Placeholder until the side is built. */
public final class SimSide implements Side {
  @Override
  public String name() {
    return "execsim";
  }

  @Override
  public Map<String, String> versions() {
    return Map.of();
  }

  @Override
  public Variables begin(Scenario scenario) {
    throw new UnsupportedOperationException("not built yet");
  }

  @Override
  public Running start(Command command) {
    throw new UnsupportedOperationException("not built yet");
  }

  @Override
  public void sleep(Duration time) {
  }

  @Override
  public void act(Action action) {
    throw new UnsupportedOperationException("not built yet");
  }

  @Override
  public List<String> leftovers() {
    return List.of();
  }

  @Override
  public void end() {
  }
}
