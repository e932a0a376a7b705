package io.execsim.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.execsim.conformance.real.RealSide;
import io.execsim.conformance.sim.SimSide;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite itself: every scenario on the real runtime and on execsim, compared. It needs root and
 * Debian's containerd, runc and busybox-static, and it mounts file systems and starts containerd, so it runs only
 * when the environment variable {@code EXECSIM_CONFORMANCE=required} asks for it, as {@code conformance/run} does;
 * then a missing prerequisite fails it.
 */
class RealConformanceTest {
  private static final Path OUT = Path.of("target", "conformance");
  private static final List<String> BINARIES = List.of("/usr/bin/containerd", "/usr/bin/ctr",
      "/usr/bin/containerd-shim-runc-v2", "/usr/sbin/runc", "/usr/bin/busybox");

  @Test
  void realRuntimeAndExecsimAgree() throws IOException {
    assumeTrue("required".equals(System.getenv("EXECSIM_CONFORMANCE")),
        "the real side runs only when EXECSIM_CONFORMANCE=required (see conformance/run)");
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      fail("the conformance suite needs " + String.join(", ", missing));
    }
    List<Scenario> scenarios = Conformance.selected(ScenarioFile.read(Conformance.SCENARIOS));

    RealSide realSide = new RealSide();
    Recording real = ScenarioRunner.runAll(scenarios, realSide);
    Recording sim = ScenarioRunner.runAll(scenarios, new SimSide());
    sim.write(OUT.resolve("execsim.json"));
    KnownDifferences known = KnownDifferences.read(Conformance.KNOWN);
    Comparison first = Comparison.of(real, sim, known);

    // the real side's timings vary with the machine's load (a shim's cleanup, a daemon's start): a scenario that
    // differs runs once more on the real side, and the report keeps what the first try saw
    String retried = "";
    if (first.failed() > 0) {
      retried = "first try:\n" + failures(first.report()) + "\n";
      real = rerun(real, scenarios, first, known, realSide);
    }
    real.write(OUT.resolve("real.json"));
    Comparison c = Comparison.of(real, sim, known);

    String report = retried + c.report();
    Files.writeString(OUT.resolve("report.txt"), report, StandardCharsets.UTF_8);
    System.out.print(report);
    assertThat(real.scenarios()).allSatisfy(r -> assertThat(r.error()).as(r.name()).isNull());
    assertThat(c.failed()).as("scenarios with unexplained differences (see %s):%n%s", OUT.resolve("report.txt"),
        failures(report)).isZero();
  }

  /** {@code real} with each scenario that differed in {@code first} run again on {@code side}. */
  private static Recording rerun(Recording real, List<Scenario> scenarios, Comparison first, KnownDifferences known,
      RealSide side) {
    List<ScenarioRecord> records = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      boolean differed = first.differences().getOrDefault(s.name(), List.of()).stream()
          .anyMatch(d -> known.covering(d).isEmpty());
      records.add(differed ? ScenarioRunner.run(s, side) : real.scenarios().get(i));
    }
    return new Recording(real.side(), real.versions(), records);
  }

  /** The report without its passing scenarios, so that a failure's own message shows what differed. */
  private static String failures(String report) {
    return report.lines().filter(l -> !l.startsWith("ok ")).collect(Collectors.joining("\n"));
  }

  private static List<String> missing() throws IOException {
    List<String> out = new ArrayList<>();
    String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
    if (!uid.equals("0")) {
      out.add("root");
    }
    BINARIES.stream().filter(b -> !Files.isExecutable(Path.of(b))).forEach(out::add);
    return out;
  }
}
