package io.execsim.cri.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.cri.ctr.CtrFlags.Flag;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CtrFlagsTest {
  private static final List<Flag> EXEC = List.of(Flag.bool("detach", "d"), Flag.required("exec-id"),
      Flag.strings("env"), Flag.duration("timeout"));

  @Test
  void flagsEndAtTheFirstArgumentWhateverFollows() {
    CtrFlags f = CtrFlags.parse(List.of("-d", "--exec-id", "e1", "--env=A=1", "--env", "B=2", "k1", "sh", "-c",
        "exit 7"), EXEC);

    assertThat(f.bool("detach")).isTrue();
    assertThat(f.string("exec-id")).isEqualTo("e1");
    assertThat(f.strings("env")).containsExactly("A=1", "B=2");
    assertThat(f.args()).containsExactly("k1", "sh", "-c", "exit 7");
    assertThat(f.arg(4)).isEmpty();
  }

  @Test
  void flagErrorsReadAsGosFlagPackageAndUrfaveClis() {
    assertThatThrownBy(() -> CtrFlags.parse(List.of("--exec-id", "e1", "--nosuch", "k1"), EXEC))
        .hasMessage("flag provided but not defined: -nosuch");
    assertThatThrownBy(() -> CtrFlags.parse(List.of("--exec-id"), EXEC))
        .hasMessage("flag needs an argument: -exec-id");
    assertThatThrownBy(() -> CtrFlags.parse(List.of("k1", "echo", "hi"), EXEC))
        .hasMessage("Required flag \"exec-id\" not set");
    assertThatThrownBy(() -> CtrFlags.parse(List.of("--exec-id", "e1", "--timeout", "soon"), EXEC))
        .hasMessage("invalid value \"soon\" for flag -timeout: parse error");
  }

  @Test
  void durationsParseAsGosParseDuration() {
    assertThat(CtrFlags.parseDuration("2s")).contains(Duration.ofSeconds(2));
    assertThat(CtrFlags.parseDuration("1m30s")).contains(Duration.ofSeconds(90));
    assertThat(CtrFlags.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
    assertThat(CtrFlags.parseDuration("250ms")).contains(Duration.ofMillis(250));
    assertThat(CtrFlags.parseDuration("0")).contains(Duration.ZERO);
    assertThat(CtrFlags.parseDuration("2")).isEmpty();
    assertThat(CtrFlags.parseDuration("")).isEmpty();
  }
}
