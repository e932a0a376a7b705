package io.execsim.testkit.junit;

import io.execsim.core.fault.FaultPlan;
import io.execsim.testkit.SimCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a failed test leaves for the person who reruns it, about one of its clusters: the seed, the fault plans of
 * its execs, its trace as text and as a Mermaid diagram, and the command that replays the run.
 *
 * @param test the failed test, as {@code Class#method}
 * @param failure what failed it, as its exception prints
 * @param cluster where the cluster was injected: {@code field web}, {@code parameter #1 of rollout}
 * @param seed the seed the cluster was built with
 * @param plans the fault plans of the cluster's execs, in the order they started, empty ones included
 * @param trace the trace as text
 * @param mermaid the trace as a Mermaid sequence diagram
 * @param replay the Maven command line that reruns the test with the same seed
 */
record FailureReport(String test, String failure, String cluster, long seed, List<FaultPlan> plans, String trace,
    String mermaid, String replay) {

  /** Copies the plans. */
  FailureReport {
    plans = List.copyOf(plans);
  }

  /** The report of {@code cluster}, built with {@code seed}, whose test {@code test} failed with {@code failure}. */
  static FailureReport of(String test, Throwable failure, String clusterName, long seed, SimCluster cluster,
      String replay) {
    return new FailureReport(test, failure.toString(), clusterName, seed, cluster.plans(), cluster.trace().render(),
        cluster.trace().toMermaid(), replay);
  }

  /**
   * The plans as text: each plan with a fault, as a plan prints, under the number of its exec in the order the
   * cluster started them; {@code none} when no exec had a fault.
   */
  String plansText() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < plans.size(); i++) {
      if (!plans.get(i).faults().isEmpty()) {
        b.append("exec ").append(i + 1).append(":\n").append(plans.get(i).print());
      }
    }
    return b.length() == 0 ? "none" : b.toString().stripTrailing();
  }

  /**
   * The report as one JUnit report entry: keys {@code execsim.cluster}, {@code execsim.seed}, {@code execsim.replay},
   * {@code execsim.faultPlans}, {@code execsim.trace} and {@code execsim.mermaid}. A report entry takes no blank
   * value, so an empty trace reads {@code (no events)}.
   */
  Map<String, String> entry() {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("execsim.cluster", cluster);
    e.put("execsim.seed", Long.toString(seed));
    e.put("execsim.replay", replay);
    e.put("execsim.faultPlans", plansText());
    e.put("execsim.trace", trace.isBlank() ? "(no events)" : trace.stripTrailing());
    e.put("execsim.mermaid", mermaid.stripTrailing());
    return e;
  }

  /** The report as the text of a file and of a log message. */
  String text() {
    return "execsim: " + test + " failed: " + failure + "\n"
        + "cluster: " + cluster + "\n"
        + "seed: " + seed + "\n"
        + replay + "\n"
        + "fault plans:\n" + indent(plansText()) + "\n"
        + "trace:\n" + (trace.isBlank() ? "  (no events)\n" : indent(trace.stripTrailing()) + "\n")
        + "mermaid:\n```mermaid\n" + mermaid.stripTrailing() + "\n```\n";
  }

  private static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }
}
