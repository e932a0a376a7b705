package io.execsim.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.cli.ParseResult.Failed;
import io.execsim.core.cli.ParseResult.HelpShown;
import io.execsim.core.cli.ParseResult.Parsed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppTest {
  private static final App RUNC = App.of(List.of(Flag.bool("debug", ""),
      Flag.string("root", "").withValue("/run/runc"), Flag.string("log", "")));

  @Test
  void appFlagsEndAtTheCommandAndAreNotReordered() {
    ParseResult r = RUNC.parse(List.of("--root", "/r", "exec", "--log", "x"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Parsed.class, p -> {
      assertThat(p.line().string("root")).isEqualTo("/r");
      assertThat(p.line().string("log")).isEmpty();
      assertThat(p.line().args()).containsExactly("exec", "--log", "x");
    });
  }

  @Test
  void unknownAppFlagIsAnIncorrectUsageWithAPeriod() {
    ParseResult r = RUNC.parse(List.of("--bogus", "exec"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.output()).isEqualTo("Incorrect Usage. flag provided but not defined: -bogus\n\n");
      assertThat(f.error().text()).isEqualTo("flag provided but not defined: -bogus");
    });
  }

  @Test
  void helpAndVersionAreTheAppsOwn() {
    assertThat(RUNC.parse(List.of("-h"), Map.of())).isEqualTo(new HelpShown(""));
    assertThat(RUNC.parse(List.of("-v"), Map.of())).isInstanceOfSatisfying(Parsed.class,
        p -> assertThat(p.line().bool("version")).isTrue());
    assertThat(App.group().parse(List.of("-v"), Map.of())).isInstanceOfSatisfying(Failed.class,
        f -> assertThat(f.error().text()).isEqualTo("flag provided but not defined: -v"));
  }

  @Test
  void twoFormsOfOneFlagAreToldBeforeTheParseError() {
    ParseResult r = RUNC.parse(List.of("-h", "--help", "--bogus"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.output()).isEqualTo("Cannot use two forms of the same flag: h help\n");
      assertThat(f.error().text()).isEqualTo("Cannot use two forms of the same flag: h help");
    });
  }
}
