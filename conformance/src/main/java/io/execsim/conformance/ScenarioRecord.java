package io.execsim.conformance;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one side recorded of one scenario.
 *
 * @param name the scenario's name
 * @param vars the side's values of the scenario variables
 * @param results each command's result, in the order the commands started
 * @param leftovers files and directories the scenario left where nothing should remain, as absolute paths
 * @param error why the side could not run the scenario to its end, if it could not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioRecord(String name, Map<String, String> vars, List<StepResult> results, List<String> leftovers,
    @Nullable String error) {

  /** Copies the parts. */
  public ScenarioRecord {
    vars = Map.copyOf(vars);
    results = List.copyOf(results);
    leftovers = List.copyOf(leftovers);
  }
}
