package io.execsim.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void printsAsGoPrintsTimeDuration() {
    assertThat(GoText.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoText.duration(Duration.ofNanos(1))).isEqualTo("1ns");
    assertThat(GoText.duration(Duration.ofNanos(1500))).isEqualTo("1.5µs");
    assertThat(GoText.duration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoText.duration(Duration.ofNanos(1_000_001))).isEqualTo("1.000001ms");
    assertThat(GoText.duration(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(GoText.duration(Duration.ofSeconds(60))).isEqualTo("1m0s");
    assertThat(GoText.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoText.duration(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoText.duration(Duration.ofMillis(3_661_500))).isEqualTo("1h1m1.5s");
    assertThat(GoText.duration(Duration.ofSeconds(1, 1))).isEqualTo("1.000000001s");
    assertThat(GoText.duration(Duration.ofMillis(-5))).isEqualTo("-5ms");
  }

  @Test
  void readsAsGoParsesDurations() {
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("300us")).isEqualTo(Duration.ofNanos(300_000));
    assertThat(GoDuration.parse("2µs")).isEqualTo(Duration.ofNanos(2_000));
    assertThat(GoDuration.parse(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1h1m1s1ms")).isEqualTo(Duration.ofMillis(3_661_001));
    assertThat(GoDuration.parse("+2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(GoDuration.parse("-2s")).isEqualTo(Duration.ofSeconds(-2));
  }

  @Test
  void rejectsWhatGoRejects() {
    assertThatThrownBy(() -> GoDuration.parse("5"))
        .hasMessage("a duration needs a unit (ns, us, µs, ms, s, m, h): 5");
    assertThatThrownBy(() -> GoDuration.parse("5x"))
        .hasMessage("unknown unit in duration (ns, us, µs, ms, s, m, h): 5x");
    assertThatThrownBy(() -> GoDuration.parse("s"))
        .hasMessage("a duration is a number and a unit (ns, us, µs, ms, s, m, h): s");
    assertThatThrownBy(() -> GoDuration.parse("1.2.3s"))
        .hasMessage("a duration is a number and a unit (ns, us, µs, ms, s, m, h): 1.2.3s");
    assertThatThrownBy(() -> GoDuration.parse(""))
        .hasMessage("a duration is a number and a unit (ns, us, µs, ms, s, m, h): ");
  }

  @Test
  void rejectsWhatADurationCannotHold() {
    assertThatThrownBy(() -> GoDuration.parse("0.5ns"))
        .hasMessage("a duration is counted in whole nanoseconds: 0.5ns");
    assertThatThrownBy(() -> GoDuration.parse("99999999999999999999h"))
        .hasMessage("a duration must fit in a Java Duration: 99999999999999999999h");
  }
}
