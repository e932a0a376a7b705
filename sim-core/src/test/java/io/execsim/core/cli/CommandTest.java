package io.execsim.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.cli.ParseResult.Failed;
import io.execsim.core.cli.ParseResult.HelpShown;
import io.execsim.core.cli.ParseResult.Parsed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTest {
  /** containerd 1.6.20 cmd/ctr/commands/tasks/exec.go. */
  private static final Command CTR_EXEC = Command.builder("ctr tasks exec")
      .usage("execute additional processes in an existing container")
      .argsUsage("[flags] CONTAINER CMD [ARG...]")
      .skipArgReorder()
      .flags(List.of(
          Flag.string("cwd", "working directory of the new process"),
          Flag.bool("tty,t", "allocate a TTY for the container"),
          Flag.bool("detach,d", "detach from the task after it has started execution"),
          Flag.string("exec-id", "exec specific id for the process").asRequired(),
          Flag.string("fifo-dir", "directory used for storing IO FIFOs"),
          Flag.string("log-uri", "log uri for custom shim logging"),
          Flag.string("user", "user id or name")))
      .build();
  private static final String CTR_EXEC_HELP = """
      NAME:
         ctr tasks exec - execute additional processes in an existing container

      USAGE:
         ctr tasks exec [command options] [flags] CONTAINER CMD [ARG...]

      OPTIONS:
         --cwd value       working directory of the new process
         --tty, -t         allocate a TTY for the container
         --detach, -d      detach from the task after it has started execution
         --exec-id value   exec specific id for the process
         --fifo-dir value  directory used for storing IO FIFOs
         --log-uri value   log uri for custom shim logging
         --user value      user id or name
      """ + "   \n";

  /** runc 1.1.5 kill.go: no SkipArgReorder. */
  private static final Command RUNC_KILL = Command.builder("runc kill")
      .usage("kill sends the specified signal (default: SIGTERM) to the container's init process")
      .argsUsage("<container-id> [signal]")
      .flags(List.of(Flag.bool("all, a", "send the specified signal to all processes inside the container")))
      .build();

  @Test
  void helpIsUrfavesCommandTemplateThroughItsTabWriter() {
    assertThat(CTR_EXEC.help()).isEqualTo(CTR_EXEC_HELP);
  }

  @Test
  void missingRequiredFlagPrintsTheHelpAndFails() {
    ParseResult r = CTR_EXEC.parse(List.of("k1", "echo", "hi"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.output()).isEqualTo(CTR_EXEC_HELP);
      assertThat(f.error().text()).isEqualTo("Required flag \"exec-id\" not set");
    });
  }

  @Test
  void flagErrorPrintsIncorrectUsageThenTheHelp() {
    ParseResult r = CTR_EXEC.parse(List.of("--exec-id", "e1", "--nosuch", "k1"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.output()).isEqualTo("Incorrect Usage: flag provided but not defined: -nosuch\n\n"
          + CTR_EXEC_HELP);
      assertThat(f.error().text()).isEqualTo("flag provided but not defined: -nosuch");
    });
  }

  @Test
  void helpFlagShowsTheHelpBeforeRequiredFlagsAreChecked() {
    assertThat(CTR_EXEC.parse(List.of("-h"), Map.of())).isEqualTo(new HelpShown(CTR_EXEC_HELP));
    assertThat(CTR_EXEC.parse(List.of("--help", "k1"), Map.of())).isEqualTo(new HelpShown(CTR_EXEC_HELP));
  }

  @Test
  void withoutSkipArgReorderFlagsAfterArgumentsStillCount() {
    ParseResult r = RUNC_KILL.parse(List.of("c1", "KILL", "--all"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Parsed.class, p -> {
      assertThat(p.line().bool("all")).isTrue();
      assertThat(p.line().args()).containsExactly("c1", "KILL");
    });
    assertThat(RUNC_KILL.parse(List.of("c1", "-9"), Map.of())).isInstanceOfSatisfying(Failed.class,
        f -> assertThat(f.error().text()).isEqualTo("flag provided but not defined: -9"));
  }

  @Test
  void withSkipArgReorderTheCommandKeepsItsOwnFlags() {
    ParseResult r = CTR_EXEC.parse(List.of("--exec-id", "e1", "k1", "sh", "-c", "exit 7"), Map.of());

    assertThat(r).isInstanceOfSatisfying(Parsed.class, p -> assertThat(p.line().args())
        .containsExactly("k1", "sh", "-c", "exit 7"));
  }

  @Test
  void reorderMovesFlagsAndTheirValuesAheadAndKeepsDoubleDashLast() {
    assertThat(Command.reorder(List.of("c1", "-s", "KILL", "x", "--a=b", "y", "--", "-z")))
        .containsExactly("-s", "KILL", "--a=b", "c1", "x", "y", "--", "-z");
  }

  @Test
  void helpShowsDefaultsPlaceholdersAndEnvironmentVariablesAsUrfaveDoes() {
    Command c = Command.builder("app cmd").usage("u").description("long\ntext").flags(List.of(
        Flag.string("address, a", "address").withValue("/run/x.sock").withEnvVar("ADDR"),
        Flag.integer("cpu-shares", "set the cpu shares").withValue(1024L),
        Flag.int64("cpu-quota", "Limit CPU CFS quota").withValue(-1L),
        Flag.float64("cpus", "set the CFS cpu quota"),
        Flag.duration("timeout", "total timeout"),
        Flag.duration("wait", "wait").withValue(Duration.ofSeconds(90)),
        Flag.stringSlice("cap, c", "add a `CAP`").withValue(List.of("a", "", "b")),
        Flag.intSlice("gpus", "add gpus"),
        Flag.string("uidmap", "map `container-uid:host-uid:length` here"))).build();

    assertThat(c.help()).isEqualTo("""
        NAME:
           app cmd - u

        USAGE:
           app cmd [command options] [arguments...]

        DESCRIPTION:
           long
        text

        OPTIONS:
           --address value, -a value               address (default: "/run/x.sock") [$ADDR]
           --cpu-shares value                      set the cpu shares (default: 1024)
           --cpu-quota value                       Limit CPU CFS quota (default: -1)
           --cpus value                            set the CFS cpu quota (default: 0)
           --timeout value                         total timeout (default: 0s)
           --wait value                            wait (default: 1m30s)
           --cap CAP, -c CAP                       add a CAP (default: "a", "b")
           --gpus value                            add gpus
           --uidmap container-uid:host-uid:length  map container-uid:host-uid:length here
        """ + "   \n");
  }

  @Test
  void commandWithoutFlagsHasNoOptionsSection() {
    Command pause = Command.builder("ctr tasks pause").usage("pause an existing container").argsUsage("CONTAINER")
        .build();

    assertThat(pause.help()).isEqualTo("NAME:\n   ctr tasks pause - pause an existing container\n\nUSAGE:\n"
        + "   ctr tasks pause CONTAINER\n");
  }

  @Test
  void floatsShowAsGosPercentV() {
    assertThat(Flag.goFloat(0.0)).isEqualTo("0");
    assertThat(Flag.goFloat(1.5)).isEqualTo("1.5");
    assertThat(Flag.goFloat(123456.0)).isEqualTo("123456");
    assertThat(Flag.goFloat(1234567.0)).isEqualTo("1.234567e+06");
    assertThat(Flag.goFloat(0.00001)).isEqualTo("1e-05");
  }
}
