package io.execsim.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static final List<Flag> EXEC = List.of(Flag.bool("detach, d", ""), Flag.string("exec-id", ""),
      Flag.stringSlice("env, e", ""), Flag.duration("timeout", ""), Flag.integer("preserve-fds", ""),
      Flag.int64Slice("additional-gids, g", ""), Flag.bool("tty,t", ""));

  private static CommandLine parse(String... argv) {
    return CommandLine.parse(EXEC, List.of(argv), Map.of());
  }

  @Test
  void flagsEndAtTheFirstArgumentWhateverFollows() {
    CommandLine f = parse("-d", "--exec-id", "e1", "--env=A=1", "--env", "B=2", "k1", "sh", "-c", "exit 7");

    assertThat(f.bool("detach")).isTrue();
    assertThat(f.bool("d")).isTrue();
    assertThat(f.string("exec-id")).isEqualTo("e1");
    assertThat(f.strings("env")).containsExactly("A=1", "B=2");
    assertThat(f.args()).containsExactly("k1", "sh", "-c", "exit 7");
    assertThat(f.arg(4)).isEmpty();
  }

  @Test
  void doubleDashEndsTheFlagsAndIsDropped() {
    CommandLine f = parse("--tty=false", "--", "-d", "x");

    assertThat(f.bool("tty")).isFalse();
    assertThat(f.isSet("tty")).isTrue();
    assertThat(f.isSet("t")).isTrue();
    assertThat(f.args()).containsExactly("-d", "x");
    assertThat(parse("-", "-d").args()).containsExactly("-", "-d");
  }

  @Test
  void numbersAndDurationsParseAsTheFlagPackageDoes() {
    CommandLine f = parse("--preserve-fds", "0x10", "-g", "5", "-g=-1", "--timeout", "1m30s");

    assertThat(f.integer("preserve-fds")).isEqualTo(16);
    assertThat(f.integers("g")).containsExactly(5L, -1L);
    assertThat(f.duration("timeout")).isEqualTo(Duration.ofSeconds(90));
    assertThat(f.isSet("g")).isTrue();
    assertThat(f.isSet("additional-gids")).as("urfave marks no alias of a slice flag").isFalse();
  }

  @Test
  void flagErrorsReadAsGosFlagPackageAndUrfaveClis() {
    assertThatThrownBy(() -> parse("--exec-id", "e1", "--nosuch", "k1"))
        .hasMessage("flag provided but not defined: -nosuch");
    assertThatThrownBy(() -> parse("--exec-id")).hasMessage("flag needs an argument: -exec-id");
    assertThatThrownBy(() -> parse("--timeout", "soon")).hasMessage("invalid value \"soon\" for flag -timeout: "
        + "parse error");
    assertThatThrownBy(() -> parse("--preserve-fds", "x")).hasMessage("invalid value \"x\" for flag "
        + "-preserve-fds: parse error");
    assertThatThrownBy(() -> parse("--preserve-fds", "99999999999999999999")).hasMessage("invalid value "
        + "\"99999999999999999999\" for flag -preserve-fds: value out of range");
    assertThatThrownBy(() -> parse("-g", "x")).hasMessage("invalid value \"x\" for flag -g: strconv.ParseInt: "
        + "parsing \"x\": invalid syntax");
    assertThatThrownBy(() -> parse("--tty=yes")).hasMessage("invalid boolean value \"yes\" for -tty: parse error");
    assertThatThrownBy(() -> parse("---x")).hasMessage("bad flag syntax: ---x");
    assertThatThrownBy(() -> parse("-=x")).hasMessage("bad flag syntax: -=x");
    assertThatThrownBy(() -> parse("--tty", "-t")).hasMessage("Cannot use two forms of the same flag: t tty");
    assertThatThrownBy(() -> parse("-e", "A=1", "--env", "B=2")).hasMessage("Cannot use two forms of the same "
        + "flag: e env");
    assertThatThrownBy(() -> parse("-h")).hasMessage("flag: help requested");
  }

  @Test
  void environmentVariablesReplaceDefaultsAndCountAsSet() {
    List<Flag> flags = List.of(Flag.string("address, a", "").withValue("/run/d.sock").withEnvVar("ADDR"),
        Flag.stringSlice("label", "").withEnvVar("LABELS"));

    CommandLine defaults = CommandLine.parse(flags, List.of(), Map.of());
    CommandLine env = CommandLine.parse(flags, List.of(), Map.of("ADDR", "/x.sock", "LABELS", "a, b"));
    CommandLine given = CommandLine.parse(flags, List.of("-a", "/y.sock"), Map.of("ADDR", "/x.sock"));

    assertThat(defaults.string("a")).isEqualTo("/run/d.sock");
    assertThat(defaults.isSet("address")).isFalse();
    assertThat(env.string("address")).isEqualTo("/x.sock");
    assertThat(env.isSet("address")).isTrue();
    assertThat(env.strings("label")).containsExactly("a", "b");
    assertThat(given.string("address")).isEqualTo("/y.sock");
  }

  @Test
  void readingAFlagThatIsNotThereIsAProgrammingError() {
    assertThatThrownBy(() -> parse().string("nosuch")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse().string("detach")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsParseAsGosParseDuration() {
    assertThat(parse("--timeout", "2s").duration("timeout")).isEqualTo(Duration.ofSeconds(2));
    assertThat(parse("--timeout", "1m30s").duration("timeout")).isEqualTo(Duration.ofSeconds(90));
    assertThat(parse("--timeout", "1.5s").duration("timeout")).isEqualTo(Duration.ofMillis(1500));
    assertThat(parse("--timeout", "250ms").duration("timeout")).isEqualTo(Duration.ofMillis(250));
    assertThat(parse("--timeout", "0").duration("timeout")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> parse("--timeout", "2"))
        .hasMessage("invalid value \"2\" for flag -timeout: parse error");
    assertThatThrownBy(() -> parse("--timeout", ""))
        .hasMessage("invalid value \"\" for flag -timeout: parse error");
  }
}
