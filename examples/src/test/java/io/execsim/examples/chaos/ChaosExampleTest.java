package io.execsim.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.execsim.core.fault.ComponentName;
import io.execsim.core.fault.FaultPlan;
import io.execsim.core.fault.KubeletEffect;
import io.execsim.core.fault.Target;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The worked example's point: the property finds the naive operator's bug and shrinks the fault plan to one kubelet
 * restart, and the failure's report says how to replay it.
 */
class ChaosExampleTest {
  private static final Pattern SHRUNK_PLAN = Pattern.compile("Shrunk Sample[^\\n]*\\n-+\\n\\s*arg0: ([^\\n]*)\\n");

  @Test
  void thePropertyFindsTheNaiveOperatorsBugAndShrinksItToOneKubeletRestart() {
    EngineExecutionResults results = EngineTestKit.engine("jqwik")
        .configurationParameter("jqwik.reporting.usejunitplatform", "true")
        .selectors(selectClass(NaiveOperatorCheck.class))
        .execute();

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    List<String> reports = results.allEvents().reportingEntryPublished().stream()
        .map(ChaosExampleTest::entry).flatMap(m -> m.values().stream()).toList();

    String jqwik = reports.stream().filter(r -> r.contains("Shrunk Sample")).findFirst().orElseThrow();
    Matcher m = SHRUNK_PLAN.matcher(jqwik);
    assertThat(m.find()).as("jqwik's report names the shrunk plan:%n%s", jqwik).isTrue();
    FaultPlan shrunk = FaultPlan.parse(m.group(1));
    assertThat(shrunk.faults()).as("the shrunk plan").singleElement().satisfies(f -> {
      assertThat(f.target()).isEqualTo(Target.component(ComponentName.KUBELET));
      assertThat(f.effect()).isInstanceOf(KubeletEffect.Restart.class);
    });

    String execsim = reports.stream().filter(r -> r.startsWith("execsim: ")).findFirst().orElseThrow();
    assertThat(execsim).contains("seed 1", shrunk.faults().get(0).print())
        .contains("replay: ", "@Property(seed = \"7\")", "-Dexecsim.seed=1",
            "-Dtest=NaiveOperatorCheck#neverCallsAnInjectedExperimentFailed");
  }

  private static Map<String, String> entry(Event e) {
    return e.getPayload(ReportEntry.class).map(ReportEntry::getKeyValuePairs).orElse(Map.of());
  }
}
