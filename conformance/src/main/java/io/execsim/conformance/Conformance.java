package io.execsim.conformance;

import io.execsim.conformance.real.RealSide;
import io.execsim.conformance.sim.SimSide;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The conformance suite's command line: {@code real OUT} and {@code sim OUT} run the scenario table on one side and
 * write its recording; {@code compare REAL SIM} prints every difference and ends with {@code N passed, N failed};
 * {@code all DIR} does the three in turn. The exit code is 1 if a difference is not a known one.
 */
public final class Conformance {
  /** The scenario table, relative to the conformance module. */
  public static final Path SCENARIOS = Path.of("scenarios.yaml");
  /** The known differences, relative to the conformance module. */
  public static final Path KNOWN = Path.of("known-differences.yaml");
  /** The system property that picks scenarios by a regular expression over their names; unset means all. */
  public static final String ONLY = "execsim.conformance.only";

  private Conformance() {
  }

  /** Runs the command in {@code args}; see the class description. */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: conformance real OUT | sim OUT | compare REAL SIM | all DIR");
      System.exit(2);
    }
    List<Scenario> scenarios = selected(ScenarioFile.read(SCENARIOS));
    int code = switch (args[0]) {
      case "real" -> record(scenarios, new RealSide(), Path.of(args[1]));
      case "sim" -> record(scenarios, new SimSide(), Path.of(args[1]));
      case "compare" -> compare(Recording.read(Path.of(args[1])), Recording.read(Path.of(args[2])));
      case "all" -> {
        Path dir = Path.of(args[1]);
        record(scenarios, new RealSide(), dir.resolve("real.json"));
        record(scenarios, new SimSide(), dir.resolve("execsim.json"));
        yield compare(Recording.read(dir.resolve("real.json")), Recording.read(dir.resolve("execsim.json")));
      }
      default -> {
        System.err.println("unknown command: " + args[0]);
        yield 2;
      }
    };
    System.exit(code);
  }

  /** {@link #selected(List, String)} with the pattern of the system property {@value #ONLY}. */
  public static List<Scenario> selected(List<Scenario> all) {
    return selected(all, System.getProperty(ONLY, ""));
  }

  /**
   * The scenarios of {@code all} whose names match {@code pattern} as a whole, in their order; all of them when the
   * pattern is empty.
   *
   * @throws IllegalArgumentException if the pattern is not a regular expression or matches no scenario
   */
  public static List<Scenario> selected(List<Scenario> all, String pattern) {
    if (pattern.isEmpty()) {
      return all;
    }
    Pattern p;
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(ONLY + " is not a regular expression: " + e.getMessage(), e);
    }
    List<Scenario> picked = all.stream().filter(s -> p.matcher(s.name()).matches()).toList();
    if (picked.isEmpty()) {
      throw new IllegalArgumentException(ONLY + "=" + pattern + " matches no scenario");
    }
    return picked;
  }

  private static int record(List<Scenario> scenarios, Side side, Path out) {
    ScenarioRunner.runAll(scenarios, side).write(out);
    System.out.println(side.name() + ": " + scenarios.size() + " scenarios recorded in " + out);
    return 0;
  }

  private static int compare(Recording real, Recording sim) {
    Comparison c = Comparison.of(real, sim, KnownDifferences.read(KNOWN));
    System.out.print(c.report());
    return c.failed() == 0 ? 0 : 1;
  }
}
