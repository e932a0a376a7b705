package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The texts of the reference's ctr and runc tables, produced by the same calls on a simulated node. */
class RuntimeTextsTest {
  private static final ContainerImage IMAGE = ContainerImage.busybox()
      .withFile("/bin/noexec.sh", "#!/bin/sh\necho noexec\n", 0644);
  private static final String TIME = "time=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\" level=error ";

  private final SimNode node = SimNode.builder().seed(5).build();

  RuntimeTextsTest() {
    node.runContainer("k1", IMAGE);
  }

  @AfterEach
  void nothingLeftBehind() {
    assertThat(node.leftovers()).isEmpty();
    node.close();
  }

  private CommandResult ctr(String execId, String... args) {
    return node.ctrExec("k1", execId, SimNode.spec(IMAGE, args));
  }

  @Test
  void ctrSucceedsAndReturnsTheExitCode() {
    CommandResult hi = ctr("e1", "echo", "hi");
    CommandResult seven = ctr("e5", "sh", "-c", "exit 7");

    assertThat(hi.stdoutText()).isEqualTo("hi\n");
    assertThat(hi.exitCode()).isZero();
    assertThat(seven.exitCode()).isEqualTo(7);
  }

  @Test
  void ctrFailuresReadAsInTheReferenceTable() {
    assertThat(ctr("e2", "nosuchbinary").stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: "
        + "unable to start container process: exec: \"nosuchbinary\": executable file not found in $PATH: unknown\n");
    assertThat(ctr("e3", "/bin/nosuchbinary").stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: "
        + "unable to start container process: exec: \"/bin/nosuchbinary\": stat /bin/nosuchbinary: "
        + "no such file or directory: unknown\n");
    assertThat(ctr("e4", "/bin/noexec.sh").stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: "
        + "unable to start container process: exec: \"/bin/noexec.sh\": permission denied: unknown\n");
    assertThat(ctr("e4b", "noexec.sh").stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: "
        + "unable to start container process: exec: \"noexec.sh\": executable file not found in $PATH: unknown\n");
    assertThat(ctr("e4c", "/bin").stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: "
        + "unable to start container process: exec: \"/bin\": permission denied: unknown\n");
  }

  @Test
  void badCwdIsAChdirFailure() {
    ProcessSpec spec = SimNode.spec(IMAGE, "echo", "hi").withCwd("/nosuchdir");

    CommandResult r = node.ctrExec("k1", "e6", spec);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderrText()).isEqualTo("ctr: OCI runtime exec failed: exec failed: unable to start container "
        + "process: chdir to cwd (\"/nosuchdir\") set in config.json failed: no such file or directory: unknown\n");
  }

  @Test
  void unknownContainerAndDuplicateExecId() {
    CommandResult missing = node.ctrExec("nosuch", "e7", SimNode.spec(IMAGE, "echo", "hi"));
    assertThat(missing.stderrText()).isEqualTo("ctr: container \"nosuch\" in namespace \"k8s.io\": not found\n");

    node.containerd().taskExec("k1", "e8", SimNode.spec(IMAGE, "sleep", "30"),
        io.execsim.cri.ExecStreams.output(io.execsim.core.io.Streams.discard(),
            io.execsim.core.io.Streams.discard()));
    node.clock().advance(java.time.Duration.ofSeconds(1));
    assertThat(ctr("e8", "echo", "hi").stderrText()).isEqualTo("ctr: id e8: already exists\n");
    node.clock().advance(java.time.Duration.ofSeconds(60));
  }

  @Test
  void pausedContainerRefusesExecs() {
    CommandResult pause = node.runc("--root", node.runcRoot(), "pause", "k1");
    assertThat(pause.exitCode()).isZero();

    assertThat(node.runc("--root", node.runcRoot(), "exec", "k1", "echo", "hi").stderrText())
        .matches(TIME + "msg=\"exec failed: cannot exec in a paused container \\(use --ignore-paused to "
            + "override\\)\"\n");
  }

  @Test
  void pausedTaskRefusesExecsAtTheShim() {
    node.scheduler().await(node.shim("k1").pause("k1"));

    assertThat(ctr("p1", "echo", "hi").stderrText()).isEqualTo("ctr: cannot exec in a paused state: unknown\n");
    assertThatThrownBy(() -> node.execSync("k1", "echo", "hi"))
        .hasMessageMatching("rpc error: code = Unknown desc = failed to exec in container: failed to create exec "
            + "\"[0-9a-f]{64}\": cannot exec in a paused state: unknown");
  }

  @Test
  void stoppedContainerRefusesExecs() {
    assertThat(node.runc("--root", node.runcRoot(), "kill", "k1", "KILL").exitCode()).isZero();

    assertThat(ctr("s1", "echo", "hi").stderrText()).isEqualTo("ctr: cannot exec in a stopped state: unknown\n");
    assertThat(node.runc("--root", node.runcRoot(), "exec", "k1", "echo", "hi").stderrText())
        .matches(TIME + "msg=\"exec failed: cannot exec in a stopped container\"\n");
    assertThatThrownBy(() -> node.execSync("k1", "echo", "hi"))
        .hasMessage("rpc error: code = Unknown desc = failed to exec in container: container is in "
            + "CONTAINER_EXITED state");
  }

  @Test
  void runcDirectTable() {
    String root = node.runcRoot();

    assertThat(node.runc("--root", root, "exec", "k1", "echo", "hi").stdoutText()).isEqualTo("hi\n");
    assertThat(node.runc("--root", root, "exec", "k1", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
    assertThat(node.runc("--root", root, "exec", "k1", "false").exitCode()).isEqualTo(1);
    CommandResult missing = node.runc("--root", root, "exec", "k1", "nosuchbinary");
    assertThat(missing.exitCode()).isEqualTo(255);
    assertThat(missing.stderrText()).matches(TIME + "msg=\"exec failed: unable to start container process: "
        + "exec: \\\\\"nosuchbinary\\\\\": executable file not found in \\$PATH\"\n");
    assertThat(node.runc("--root", root, "exec", "nosuchctr", "echo", "hi").stderrText())
        .matches(TIME + "msg=\"exec failed: container does not exist\"\n");
    assertThat(node.runc("--root", root, "exec", "k1").stderrText())
        .matches(TIME + "msg=\"exec failed: process args cannot be empty\"\n");
  }

  @Test
  void malformedProcessFilesGetGoDecoderTexts() {
    String root = node.runcRoot();
    List<String[]> cases = List.of(
        new String[] {"{\"terminal\":false,\"args\":[\"echo\",\"hi\"", "unexpected EOF"},
        new String[] {"", "EOF"},
        new String[] {"this is not json", "invalid character 'h' in literal true (expecting 'r')"},
        new String[] {"{\"args\":\"echo hi\",\"cwd\":\"/\"}",
            "json: cannot unmarshal string into Go struct field Process.args of type []string"},
        new String[] {"{\"args\":[],\"cwd\":\"/\"}", "args must not be empty"},
        new String[] {"{\"args\":[\"echo\"]}", "Cwd property must not be empty"},
        new String[] {"{\"args\":[\"echo\"],\"cwd\":\"relative\"}", "Cwd must be an absolute path"});
    for (String[] c : cases) {
      node.node().fs().writeFile("/root-proc.json", c[0].getBytes(StandardCharsets.UTF_8), 0644);

      CommandResult r = node.runc("--root", root, "exec", "--process", "/root-proc.json", "k1");

      assertThat(r.exitCode()).as(c[0]).isEqualTo(255);
      assertThat(r.stderrText()).as(c[0]).contains("msg=\"exec failed: " + c[1].replace("\"", "\\\"") + "\"");
    }
    assertThat(node.runc("--root", root, "exec", "--process", "/missing.json", "k1").stderrText())
        .contains("msg=\"exec failed: open /missing.json: no such file or directory\"");
  }

  @Test
  void validProcessFileRuns() {
    node.node().fs().writeFile("/p.json", ("{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\","
        + "\"-c\",\"echo from-process-json; id\"],\"env\":[\"PATH=/bin\"],\"cwd\":\"/\"}")
        .getBytes(StandardCharsets.UTF_8), 0644);

    CommandResult r = node.runc("--root", node.runcRoot(), "exec", "--process", "/p.json", "k1");

    assertThat(r.stdoutText()).isEqualTo("from-process-json\nuid=0 gid=0\n");
    assertThat(r.exitCode()).isZero();
    assertThat(node.trace().has(Hop.RUNC, Phase.RUNC_STARTED)).isTrue();
  }
}
