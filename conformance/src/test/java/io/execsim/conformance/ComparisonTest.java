package io.execsim.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  private static Map<String, String> vars(String root) {
    Map<String, String> v = new HashMap<>();
    Variables.NAMES.forEach(n -> v.put(n, root + "/" + n.toLowerCase(java.util.Locale.ROOT)));
    return v;
  }

  private static Recording recording(String side, String root, StepResult result, String... leftovers) {
    return new Recording(side, Map.of(), List.of(new ScenarioRecord("full-tmp", vars(root), List.of(result),
        List.of(leftovers), null)));
  }

  @Test
  void pathsDigitsAndTimesAreNormalized() {
    Recording real = recording("real", "/tmp/execsim-conformance-123", new StepResult("ctr task exec",
        "", "ctr: OCI runtime exec failed: write /tmp/execsim-conformance-123/shimtmp/runc-process580874987: "
            + "no space left on device: unknown\n", 1),
        "/tmp/execsim-conformance-123/shimtmp/runc-process1290187459", "/run/containerd/fifo/1234567/");
    Recording sim = recording("execsim", "/run/sim", new StepResult("ctr task exec",
        "", "ctr: OCI runtime exec failed: write /run/sim/shimtmp/runc-process42: no space left on device: "
            + "unknown\n", 1),
        "/run/containerd/fifo/99/", "/run/sim/shimtmp/runc-process7");

    Comparison c = Comparison.of(real, sim, new KnownDifferences(List.of()));

    assertThat(c.differences().get("full-tmp")).isEmpty();
    assertThat(c.report()).isEqualTo("ok     full-tmp\n1 passed, 0 failed\n");
  }

  @Test
  void unexplainedDifferenceFailsWithBothValues() {
    Recording real = recording("real", "/r", new StepResult("runc exec c1 x", "",
        "time=\"2026-12-03T12:43:34Z\" level=error msg=\"exec failed: a\"\n", 255));
    Recording sim = recording("execsim", "/s", new StepResult("runc exec c1 x", "",
        "time=\"1970-01-01T00:00:00Z\" level=error msg=\"exec failed: b\"\n", 1));

    Comparison c = Comparison.of(real, sim, new KnownDifferences(List.of()));

    assertThat(c.failed()).isEqualTo(1);
    assertThat(c.report()).isEqualTo("""
        FAILED full-tmp
          step 1 (runc exec c1 x) stderr differs
            real:    time="<T>" level=error msg="exec failed: a"
            execsim: time="<T>" level=error msg="exec failed: b"
          step 1 (runc exec c1 x) exit differs
            real:    255
            execsim: 1
        0 passed, 1 failed
        """);
  }

  @Test
  void knownDifferenceLetsTheScenarioPassAndUnusedOnesAreNamed() {
    Recording real = recording("real", "/r", new StepResult("s", "", "", 0), "/r/scratch/.exec.pid");
    Recording sim = recording("execsim", "/s", new StepResult("s", "", "", 0));
    KnownDifferences known = KnownDifferences.parse("""
        - scenario: full-tmp
          field: leftovers
          why: the simulated node keeps no pid temp file
        - scenario: gone
          step: 2
          why: no longer differs
        """);

    Comparison c = Comparison.of(real, sim, known);

    assertThat(c.report()).isEqualTo("""
        ok     full-tmp (known difference)
        note: known difference no longer seen: gone step 2
        1 passed, 0 failed
        """);
  }

  @Test
  void missingScenarioOrStepIsADifference() {
    Recording real = new Recording("real", Map.of(), List.of(new ScenarioRecord("a", vars("/r"),
        List.of(new StepResult("x", "", "", 0), new StepResult("y", "", "", 0)), List.of(), null)));
    Recording sim = new Recording("execsim", Map.of(), List.of(
        new ScenarioRecord("a", vars("/s"), List.of(new StepResult("x", "", "", 0)), List.of(), null),
        new ScenarioRecord("b", vars("/s"), List.of(), List.of(), "IllegalStateException: no")));

    Comparison c = Comparison.of(real, sim, new KnownDifferences(List.of()));

    assertThat(c.differences().get("a")).extracting(Difference::field).containsExactly("steps");
    assertThat(c.differences().get("b")).extracting(Difference::field).containsExactly("error");
    assertThat(c.failed()).isEqualTo(2);
  }

  @Test
  void knownDifferenceMustSayWhy() {
    assertThatThrownBy(() -> KnownDifferences.parse("- {scenario: a, why: ''}"))
        .hasMessage("known differences: entry 1: a known difference must say why: a");
    assertThatThrownBy(() -> KnownDifferences.parse("- {scenario: a, field: color, why: x}"))
        .hasMessageStartingWith("known differences: entry 1: unknown field");
  }
}
