package io.execsim.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The comparison of the real side's recording with execsim's: per scenario, every difference after
 * {@link Normalizer normalization}, each either covered by a known difference or not. A scenario passes when all its
 * differences are known ones.
 */
public final class Comparison {
  private final Map<String, List<Difference>> byScenario = new LinkedHashMap<>();
  private final KnownDifferences known;
  private final Set<KnownDifferences.Entry> used = new LinkedHashSet<>();

  private Comparison(KnownDifferences known) {
    this.known = known;
  }

  /** Compares {@code real} with {@code sim}, scenario by scenario, in the real recording's order. */
  public static Comparison of(Recording real, Recording sim, KnownDifferences known) {
    Comparison c = new Comparison(known);
    Map<String, ScenarioRecord> sims = new LinkedHashMap<>();
    sim.scenarios().forEach(s -> sims.put(s.name(), s));
    for (ScenarioRecord r : real.scenarios()) {
      ScenarioRecord s = sims.remove(r.name());
      List<Difference> diffs = new ArrayList<>();
      if (s == null) {
        diffs.add(new Difference(r.name(), 0, "", "error", "recorded", "not recorded"));
      } else {
        compare(r, s, diffs);
      }
      c.byScenario.put(r.name(), diffs);
    }
    for (ScenarioRecord s : sims.values()) {
      c.byScenario.put(s.name(), List.of(new Difference(s.name(), 0, "", "error", "not recorded", "recorded")));
    }
    c.byScenario.values().forEach(ds -> ds.forEach(d -> c.known.covering(d).ifPresent(c.used::add)));
    return c;
  }

  private static void compare(ScenarioRecord real, ScenarioRecord sim, List<Difference> out) {
    Variables rv = vars(real);
    Variables sv = vars(sim);
    String name = real.name();
    diff(out, name, 0, "", "error", Optional.ofNullable(real.error()).orElse(""),
        Optional.ofNullable(sim.error()).orElse(""));
    int n = Math.max(real.results().size(), sim.results().size());
    if (real.results().size() != sim.results().size()) {
      out.add(new Difference(name, 0, "", "steps", labels(real), labels(sim)));
    }
    for (int i = 0; i < n; i++) {
      if (i >= real.results().size() || i >= sim.results().size()) {
        continue;
      }
      StepResult r = real.results().get(i);
      StepResult s = sim.results().get(i);
      String label = r.step();
      diff(out, name, i + 1, label, "stdout", Normalizer.text(r.stdout(), rv), Normalizer.text(s.stdout(), sv));
      diff(out, name, i + 1, label, "stderr", Normalizer.text(r.stderr(), rv), Normalizer.text(s.stderr(), sv));
      diff(out, name, i + 1, label, "exit", r.exitText(), s.exitText());
    }
    diff(out, name, 0, "", "leftovers", leftovers(real, rv), leftovers(sim, sv));
  }

  private static Variables vars(ScenarioRecord r) {
    return r.vars().isEmpty() ? Variables.none() : Variables.of(r.vars());
  }

  private static String labels(ScenarioRecord r) {
    return String.join("\n", r.results().stream().map(StepResult::step).toList());
  }

  private static String leftovers(ScenarioRecord r, Variables v) {
    return String.join("\n", r.leftovers().stream().map(p -> Normalizer.text(p, v)).sorted().toList());
  }

  private static void diff(List<Difference> out, String scenario, int step, String label, String field, String real,
      String sim) {
    if (!real.equals(sim)) {
      out.add(new Difference(scenario, step, label, field, real, sim));
    }
  }

  /** The scenarios whose differences are all known ones. */
  public int passed() {
    return (int) byScenario.values().stream().filter(ds -> ds.stream().allMatch(d -> known.covering(d)
        .isPresent())).count();
  }

  /** The scenarios with a difference that is not a known one. */
  public int failed() {
    return byScenario.size() - passed();
  }

  /** Every difference, by scenario. */
  public Map<String, List<Difference>> differences() {
    return byScenario;
  }

  /** The known differences that covered none of this comparison's differences. */
  public List<KnownDifferences.Entry> unused() {
    return known.entries().stream().filter(e -> !used.contains(e)).toList();
  }

  /**
   * The report: one line per scenario ({@code ok}, {@code ok (known difference)} or {@code FAILED}), each
   * unexplained difference with both sides' values, known differences that no longer occur, and last
   * {@code N passed, N failed}.
   */
  public String report() {
    StringBuilder b = new StringBuilder();
    byScenario.forEach((name, diffs) -> {
      boolean unknown = diffs.stream().anyMatch(d -> known.covering(d).isEmpty());
      b.append(unknown ? "FAILED " : "ok     ").append(name)
          .append(!unknown && !diffs.isEmpty() ? " (known difference)" : "").append('\n');
      for (Difference d : diffs) {
        if (known.covering(d).isEmpty()) {
          b.append("  ").append(d.step() == 0 ? "" : "step " + d.step() + " (" + d.label() + ") ")
              .append(d.field()).append(" differs\n")
              .append(indent("real:    ", d.real(), isOutput(d)))
              .append(indent("execsim: ", d.sim(), isOutput(d)));
        }
      }
    });
    for (KnownDifferences.Entry e : unused()) {
      b.append("note: known difference no longer seen: ").append(e.scenario())
          .append(e.step().map(s -> " step " + s).orElse("")).append(e.field().map(f -> " " + f).orElse(""))
          .append('\n');
    }
    b.append(passed()).append(" passed, ").append(failed()).append(" failed\n");
    return b.toString();
  }

  private static boolean isOutput(Difference d) {
    return d.field().equals("stdout") || d.field().equals("stderr");
  }

  private static String indent(String head, String value, boolean output) {
    String pad = " ".repeat(head.length() + 4);
    // an output's last line break is implied; its absence is what a reader must be told
    String shown = value.isEmpty() ? "(nothing)" : !output ? value
        : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value + " (no line break at the end)";
    return "    " + head + shown.replace("\n", "\n" + pad) + "\n";
  }
}
