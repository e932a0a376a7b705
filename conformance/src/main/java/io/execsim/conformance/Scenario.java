package io.execsim.conformance;

import java.util.List;
import java.util.Map;

/**
 * One conformance scenario: files laid out in {@code ${FILES}}, then steps run in order on one side.
 *
 * @param name a unique name, lower case with dashes
 * @param about what the scenario shows, in a sentence
 * @param files file name to content, written before the first step
 * @param steps what is run or done, in order
 */
public record Scenario(String name, String about, Map<String, String> files, List<Step> steps) {

  /** Checks the parts and copies them. */
  public Scenario {
    if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("scenario name must be lower case words joined by dashes: " + name);
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("scenario " + name + " has no steps");
    }
    files = Map.copyOf(files);
    steps = List.copyOf(steps);
  }
}
