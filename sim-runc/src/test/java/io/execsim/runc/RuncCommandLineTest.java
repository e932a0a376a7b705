package io.execsim.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.oci.ProcessSpec.User;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import io.execsim.runc.programs.BuiltinPrograms;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** runc's command lines as urfave/cli reads them: flags, usage errors and help, and the spec an exec's flags make. */
class RuncCommandLineTest {
  private static final String CONFIG = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/pause\"],"
      + "\"env\":[\"PATH=/bin\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"}}";
  /** {@code runc exec --nosuchflag c1 echo hi} on stdout, as runc 1.1.5 prints it. */
  private static final String EXEC_USAGE = "Incorrect Usage: flag provided but not defined: -nosuchflag\n\nNAME:\n"
      + "   runc exec - execute new process inside the container\n\nUSAGE:\n   runc exec [command options] "
      + "<container-id> <command> [command options]  || -p process.json <container-id>\n\nWhere \"<container-id>\" "
      + "is the name for the instance of the container and\n\"<command>\" is the command to be executed in the "
      + "container.\n\"<command>\" can't be empty unless a \"-p\" flag provided.\n\nEXAMPLE:\nFor example, if the "
      + "container is configured to run the linux ps command the\nfollowing will output a list of processes running "
      + "in the container:\n\n       # runc exec <container-id> ps\n\nOPTIONS:\n   --console-socket value          "
      + "   path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the "
      + "console's pseudoterminal\n   --cwd value                        current working directory in the "
      + "container\n   --env value, -e value              set environment variables\n   --tty, -t                  "
      + "        allocate a pseudo-TTY\n   --user value, -u value             UID (format: <uid>[:<gid>])\n   "
      + "--additional-gids value, -g value  additional gids\n   --process value, -p value          path to the "
      + "process.json\n   --detach, -d                       detach from the container's process\n   --pid-file "
      + "value                   specify the file to write the process id to\n   --process-label value          "
      + "    set the asm process label for the process commonly used with selinux\n   --apparmor value           "
      + "        set the apparmor profile for the process\n   --no-new-privs                     set the no new "
      + "privileges value for the process\n   --cap value, -c value              add a capability to the bounding "
      + "set for the process\n   --preserve-fds value               Pass N additional file descriptors to the "
      + "container (stdio + $LISTEN_FDS + N in total) (default: 0)\n   --cgroup value                     run the "
      + "process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.\n   --ignore-paused            "
      + "        allow exec in a paused container\n   \n";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(1), new Trace(scheduler));
  private final Runc runc = new Runc(node, new ProgramRegistry().registerAll(BuiltinPrograms.all())
      .register("pause", ctx -> new CompletableFuture<>()));

  private record Result(String stdout, String stderr, int exit) {
  }

  RuncCommandLineTest() {
    node.fs().mkdirAll("/bundle/rootfs/tmp", 0755);
    FileSystemView root = node.fs().view("/bundle/rootfs");
    BuiltinPrograms.all().keySet().forEach(name -> ProgramRegistry.install(root, "/bin/" + name, name));
    ProgramRegistry.install(root, "/pause", "pause");
    node.fs().writeFile("/bundle/config.json", CONFIG.getBytes(StandardCharsets.UTF_8), 0644);
    assertThat(runc("create", "--bundle", "/bundle", "c1").exit()).isZero();
    assertThat(runc("start", "c1").exit()).isZero();
  }

  @AfterEach
  void nothingLeftBehind() {
    runc("kill", "c1", "KILL");
    scheduler.runUntilIdle();
    assertThat(node.processes().running()).isEmpty();
  }

  private Result runc(String... args) {
    Streams.Collector out = new Streams.Collector(1 << 20);
    Streams.Collector err = new Streams.Collector(1 << 20);
    int code = scheduler.await(runc.invoke(new Invocation(List.of(args), Map.of(), Streams.empty(), out, err)));
    return new Result(new String(out.bytes(), StandardCharsets.UTF_8), new String(err.bytes(),
        StandardCharsets.UTF_8), code);
  }

  private static String logLine(String msg) {
    return "time=\"2026-01-01T00:00:00Z\" level=error msg=\"" + msg.replace("\"", "\\\"") + "\"\n";
  }

  @Test
  void unknownExecFlagPrintsIncorrectUsageAndTheHelpAndExitsOne() {
    Result r = runc("exec", "--nosuchflag", "c1", "echo", "hi");

    assertThat(r).isEqualTo(new Result(EXEC_USAGE, logLine("flag provided but not defined: -nosuchflag"), 1));
  }

  @Test
  void unknownExecFlagWithALogGoesToTheLogAndPlainToStderr() {
    Result r = runc("--log", "/log.json", "--log-format", "json", "exec", "--nosuchflag", "c1", "echo", "hi");

    assertThat(r.stdout()).isEqualTo(EXEC_USAGE);
    assertThat(r.stderr()).isEqualTo("flag provided but not defined: -nosuchflag\n");
    assertThat(new String(node.fs().readFile("/log.json"), StandardCharsets.UTF_8)).isEqualTo("{\"level\":\"error\","
        + "\"msg\":\"flag provided but not defined: -nosuchflag\",\"time\":\"2026-01-01T00:00:00Z\"}\n");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void flagValuesWithEqualsSignsWork() {
    Result r = runc("exec", "--env=FOO=baz", "--cwd=/", "c1", "sh", "-c", "echo $FOO; pwd");
    Result shortForms = runc("exec", "-e", "FOO=bar", "--cwd", "/tmp", "c1", "sh", "-c", "echo $FOO; pwd");

    assertThat(r).isEqualTo(new Result("baz\n/\n", "", 0));
    assertThat(shortForms).isEqualTo(new Result("bar\n/tmp\n", "", 0));
  }

  @Test
  void execWithoutArgumentsIsRefusedByCheckArgs() {
    Result r = runc("exec");

    assertThat(r.stdout()).startsWith("Incorrect Usage.\n\nNAME:\n   runc exec - execute new process inside the "
        + "container\n");
    assertThat(r.stdout()).isEqualTo("Incorrect Usage.\n\n" + EXEC_USAGE.substring(EXEC_USAGE.indexOf("NAME:")));
    assertThat(r.stderr()).isEqualTo(logLine("runc: \"exec\" requires a minimum of 1 argument(s)"));
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void helpFlagPrintsTheCommandsHelp() {
    assertThat(runc("exec", "-h", "c1")).isEqualTo(new Result(EXEC_USAGE.substring(EXEC_USAGE.indexOf("NAME:")),
        "", 0));
  }

  @Test
  void badUserFailsTheExecWithGetProcesssError() {
    Result uid = runc("exec", "--user", "x", "c1", "id");
    Result gid = runc("exec", "-u", "1:y", "c1", "id");
    Result gids = runc("exec", "-g", "-1", "c1", "id");

    assertThat(uid).isEqualTo(new Result("", logLine("exec failed: parsing x as int for uid failed: strconv.Atoi: "
        + "parsing \"x\": invalid syntax"), 255));
    assertThat(gid.stderr()).isEqualTo(logLine("exec failed: parsing y as int for gid failed: strconv.Atoi: "
        + "parsing \"y\": invalid syntax"));
    assertThat(gids.stderr()).isEqualTo(logLine("exec failed: additional-gids must be a positive number -1"));
    assertThat(gids.exit()).isEqualTo(255);
  }

  @Test
  void badAdditionalGidIsAFlagError() {
    Result r = runc("exec", "-g", "x", "c1", "id");

    assertThat(r.stdout()).startsWith("Incorrect Usage: invalid value \"x\" for flag -g: strconv.ParseInt: parsing "
        + "\"x\": invalid syntax\n\nNAME:\n");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void userAndGroupsSetTheExecsUser() {
    ProcessSpec base = ProcessSpec.of(List.of("/pause"), List.of("PATH=/bin"));

    assertThat(Runc.execSpec(base, List.of("--user", "65534:65534", "c1", "id")).user())
        .isEqualTo(new User(65534, 65534));
    assertThat(Runc.execSpec(base, List.of("-u", "7", "c1", "id")).user()).isEqualTo(new User(7, 0));
    assertThat(Runc.execSpec(base, List.of("-u", "-1", "-g", "5", "-g", "4294967296", "c1", "id")).user())
        .isEqualTo(new User(4294967295L, 0, List.of(5L, 0L)));
    assertThatThrownBy(() -> Runc.execSpec(base, List.of("-u", "1:2:3", "c1", "id")))
        .hasMessage("parsing 2:3 as int for gid failed: strconv.Atoi: parsing \"2:3\": invalid syntax");
  }

  @Test
  void terminalIsSetOnlyByTheFlagAndTheRestFollowsGetProcess() {
    ProcessSpec base = ProcessSpec.of(List.of("/pause"), List.of("PATH=/bin")).withTerminal(true);

    ProcessSpec plain = Runc.execSpec(base, List.of("c1", "echo", "hi"));
    ProcessSpec tty = Runc.execSpec(base, List.of("-t", "--no-new-privs", "--cap", "CAP_KILL", "c1", "echo"));
    ProcessSpec ttyOff = Runc.execSpec(base, List.of("--tty=false", "c1", "echo"));

    assertThat(plain.terminal()).isFalse();
    assertThat(plain.args()).containsExactly("echo", "hi");
    assertThat(plain.noNewPrivileges()).isFalse();
    assertThat(tty.terminal()).isTrue();
    assertThat(tty.noNewPrivileges()).isTrue();
    assertThat(tty.capabilities()).isEqualTo(new ProcessSpec.Capabilities(List.of("CAP_KILL"), List.of("CAP_KILL"),
        List.of(), List.of("CAP_KILL"), List.of("CAP_KILL")));
    assertThat(ttyOff.terminal()).isFalse();
  }

  @Test
  void unknownGlobalFlagIsAnAppUsageErrorOnStderrEvenWithALog() {
    Result r = runc("--log", "/log.json", "--bogus", "exec", "c1", "echo", "hi");

    assertThat(r).isEqualTo(new Result("Incorrect Usage. flag provided but not defined: -bogus\n\n",
        logLine("flag provided but not defined: -bogus"), 1));
    assertThat(node.fs().exists("/log.json")).isFalse();
  }

  @Test
  void badLogFormatFailsBeforeTheLogIsOpened() {
    Result r = runc("--log-format", "xml", "--log", "/log.json", "exec", "c1", "echo", "hi");

    assertThat(r).isEqualTo(new Result("invalid log-format: xml\n\n", logLine("invalid log-format: xml"), 1));
    assertThat(node.fs().exists("/log.json")).isFalse();
  }

  @Test
  void otherCommandsCheckTheirArgumentsAndReorderTheirFlags() {
    Result tooMany = runc("kill", "c1", "KILL", "extra");
    Result none = runc("delete");
    Result running = runc("delete", "c1");

    assertThat(tooMany.stdout()).startsWith("Incorrect Usage.\n\nNAME:\n   runc kill - kill sends the specified "
        + "signal (default: SIGTERM) to the container's init process\n");
    assertThat(tooMany.stderr()).isEqualTo(logLine("runc: \"kill\" requires a maximum of 2 argument(s)"));
    assertThat(none.stderr()).isEqualTo(logLine("runc: \"delete\" requires exactly 1 argument(s)"));
    assertThat(running).isEqualTo(new Result("", logLine("cannot delete container c1 that is not stopped: running"),
        1));
    assertThat(runc("delete", "c1", "--force").exit()).isZero();
    assertThat(runc("kill", "c1").stderr()).isEqualTo(logLine("container does not exist"));
  }
}
