package io.execsim.conformance.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.execsim.conformance.Scenario;
import io.execsim.conformance.ScenarioFile;
import io.execsim.conformance.ScenarioRecord;
import io.execsim.conformance.ScenarioRunner;
import io.execsim.conformance.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real side on the machine's containerd and runc; like the suite, it runs only when
 * {@code EXECSIM_CONFORMANCE=required} asks for it, and then needs root and the runtime installed.
 */
@Timeout(120)
class RealSideTest {
  private static final RealSide SIDE = new RealSide();

  @BeforeAll
  static void needsRootAndTheRuntime() throws IOException {
    assumeTrue("required".equals(System.getenv("EXECSIM_CONFORMANCE")),
        "the real side runs only when EXECSIM_CONFORMANCE=required (see conformance/run)");
    String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
        .findFirst().orElse("Uid: - -").split("\\s+")[2];
    assumeTrue(uid.equals("0"), "the real side needs root");
    assumeTrue(HostBinary.missing().isEmpty(), "the real side needs " + HostBinary.missing());
  }

  @Test
  void execsPrintAndTheScenarioLeavesNothing() {
    ScenarioRecord r = run("""
        scenarios:
          - name: both-tools
            about: an exec through runc and one through ctr
            steps:
              - runc: run -d --bundle ${BUNDLE} c1
              - runc: exec c1 echo hi
              - ctr: run -d --env PATH=/bin --rootfs ${ROOTFS} k1 sleep 3600
              - ctr: task exec --exec-id e1 k1 sh -c 'echo out; echo err >&2; exit 7'
        """);

    assertThat(r.error()).isNull();
    assertThat(r.results()).extracting(StepResult::stdout).containsExactly("", "hi\n", "", "out\n");
    assertThat(r.results()).extracting(StepResult::exit).containsExactly(0, 0, 0, 7);
    assertThat(r.results().get(3).stderr()).isEqualTo("err\n");
    Path root = Path.of(r.vars().get("STATE")).getParent();
    assertThat(root).doesNotExist();
    assertThat(Mounts.below(root)).isEmpty();
    assertThat(Processes.matching(p -> p.mentions(root.toString()))).isEmpty();
    assertThat(r.leftovers()).singleElement().asString().startsWith(HostSnapshot.FIFO + "/");
  }

  @Test
  void shimTmpWithoutInodesFailsExecWithTheShimsText() {
    ScenarioRecord r = run("""
        scenarios:
          - name: no-inodes
            about: go-runc cannot create its process file
            steps:
              - ctr: run -d --env PATH=/bin --rootfs ${ROOTFS} k2 sleep 3600
              - do: fill shimtmp inodes
              - ctr: task exec --exec-id f3 k2 echo hi
              - do: free shimtmp
              - ctr: task exec --exec-id f3 k2 echo hi-after-free
        """);

    assertThat(r.error()).isNull();
    String shimTmp = r.vars().get("SHIMTMP");
    assertThat(r.results().get(1).stderr()).matches("ctr: OCI runtime exec failed: open \\Q" + shimTmp
        + "\\E/runc-process[0-9]+: no space left on device: unknown\n");
    assertThat(r.results().get(1).exit()).isEqualTo(1);
    assertThat(r.results().get(2).stdout()).isEqualTo("hi-after-free\n");
  }

  @Test
  void actionOnAContainerWithoutShimFailsTheScenario() {
    ScenarioRecord r = run("""
        scenarios:
          - name: no-shim
            about: there is no container k9
            steps:
              - do: kill-shim k9
        """);

    assertThat(r.error()).isEqualTo("IllegalStateException: no shim runs for container: k9");
  }

  private static ScenarioRecord run(String yaml) {
    List<Scenario> scenarios = ScenarioFile.parse(yaml);
    return ScenarioRunner.run(scenarios.get(0), SIDE);
  }
}
