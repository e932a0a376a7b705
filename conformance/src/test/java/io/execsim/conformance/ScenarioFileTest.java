package io.execsim.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioFileTest {

  @Test
  void projectTableParses() {
    List<Scenario> all = ScenarioFile.read(Path.of(Conformance.SCENARIOS.toString()));

    assertThat(all).hasSizeGreaterThan(30);
    assertThat(all).extracting(Scenario::name).doesNotHaveDuplicates();
  }

  @Test
  void aPatternPicksScenariosByName() {
    List<Scenario> all = ScenarioFile.read(Path.of(Conformance.SCENARIOS.toString()));

    assertThat(Conformance.selected(all, "")).isSameAs(all);
    assertThat(Conformance.selected(all, "ctr-exec-(echo|paused)")).extracting(Scenario::name)
        .containsExactly("ctr-exec-echo", "ctr-exec-paused");
    assertThatThrownBy(() -> Conformance.selected(all, "ctr-exec"))
        .hasMessage("execsim.conformance.only=ctr-exec matches no scenario");
    assertThatThrownBy(() -> Conformance.selected(all, "(")).hasMessageStartingWith(
        "execsim.conformance.only is not a regular expression: ");
  }

  @Test
  void stepsEventsAndQuotesParse() {
    Scenario s = ScenarioFile.parse("""
        scenarios:
          - name: one
            about: a scenario
            files: {a.json: '{}'}
            steps:
              - ctr: task exec --exec-id e1 k1 sh -c 'echo "a b"; exit 3'
                limit: 5s
                env: {TMPDIR: '${SCRATCH}'}
                during:
                  - after: 2s
                    do: kill-shim k1
              - do: fill shimtmp inodes
        """).get(0);

    Step exec = s.steps().get(0);
    assertThat(exec.words()).containsExactly("task", "exec", "--exec-id", "e1", "k1", "sh", "-c",
        "echo \"a b\"; exit 3");
    assertThat(exec.limit()).isEqualTo(Duration.ofSeconds(5));
    assertThat(exec.during().get(0).after()).isEqualTo(Duration.ofSeconds(2));
    assertThat(exec.during().get(0).action()).isEqualTo(new Action(Action.Verb.KILL_SHIM, List.of("k1")));
    assertThat(s.steps().get(1).action().toString()).isEqualTo("fill shimtmp inodes");
    assertThat(s.files()).containsEntry("a.json", "{}");
  }

  @Test
  void variablesExpandIntoCommands() {
    Step step = ScenarioFile.parse("""
        scenarios:
          - {name: one, about: x, steps: [{runc: 'exec --process ${FILES}/p.json c1'}]}
        """).get(0).steps().get(0);
    Map<String, String> values = new java.util.HashMap<>();
    Variables.NAMES.forEach(n -> values.put(n, "/v/" + n.toLowerCase(java.util.Locale.ROOT)));

    Command c = step.command(Variables.of(values));

    assertThat(c.tool()).isEqualTo(Command.Tool.RUNC);
    assertThat(c.args()).containsExactly("exec", "--process", "/v/files/p.json", "c1");
  }

  @Test
  void mistakesSayWhereAndWhat() {
    assertThatThrownBy(() -> ScenarioFile.parse("scenarios:\n  - {name: one, about: x, steps: [{do: fill tmp bytes}]}"))
        .hasMessage("scenarios: scenario one, step 1: unknown mount (one of [shimtmp, state, scratch]): tmp");
    assertThatThrownBy(() -> ScenarioFile.parse("scenarios:\n  - {name: one, about: x, steps: [{ctr: 'a ${NOPE}'}]}"))
        .hasMessageContaining("step 1: unknown variable")
        .hasMessageContaining("${NOPE}");
    assertThatThrownBy(() -> ScenarioFile.parse("scenarios:\n  - {name: one, about: x, steps: [{ctr: a, runc: b}]}"))
        .hasMessage("scenarios: scenario one, step 1: a step is exactly one of ctr, runc or do: [ctr, runc]");
    assertThatThrownBy(() -> ScenarioFile.parse("""
        scenarios:
          - {name: one, about: x, steps: [{ctr: a, during: [{after: 2s, do: wait 1s}, {after: 1s, do: wait 1s}]}]}
        """))
        .hasMessageContaining("events must be in time order");
    assertThatThrownBy(() -> ScenarioFile.parse("""
        scenarios:
          - {name: one, about: x, steps: [{ctr: a}]}
          - {name: one, about: y, steps: [{ctr: b}]}
        """))
        .hasMessage("scenarios: scenario one: name is used twice");
    assertThatThrownBy(() -> ScenarioFile.parse("scenarios:\n  - {name: one, about: x, steps: [{ctr: a, color: red}]}"))
        .hasMessageContaining("step 1: unknown key")
        .hasMessageEndingWith(": color");
    assertThatThrownBy(() -> ScenarioFile.parse("scenarios:\n  - {name: one, about: x, steps: [{do: wait soon}]}"))
        .hasMessageEndingWith("duration must be a whole number of ms, s or m: soon");
    assertThatThrownBy(() -> ScenarioFile.parse("scenarios:\n  - {name: one, about: x, steps: [{ctr: \"a 'b\"}]}"))
        .hasMessageEndingWith("unterminated single quote: a 'b");
  }
}
