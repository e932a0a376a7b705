package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.io.Streams;
import io.execsim.core.oci.Invocation;
import io.execsim.core.oci.ProcessSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code runc run}: create and start in one, detached or waiting for the container's init. */
class RuncRunTest {
  private static final String ROOT = "/run/runc";

  private final SimNode node = SimNode.builder().seed(4).build();

  @AfterEach
  void close() {
    node.close();
  }

  private String bundle(String dir, String... command) {
    node.createBundle(dir, ContainerImage.busybox(), ProcessSpec.of(List.of(command),
        List.of("PATH=" + ContainerImage.DEFAULT_PATH)));
    return dir;
  }

  /** runc without {@link SimNode#runc}'s settling, which would let the detached container's sleep run out. */
  private CommandResult runc(String... args) {
    Streams.Collector out = new Streams.Collector(1 << 20);
    Streams.Collector err = new Streams.Collector(1 << 20);
    int code = node.scheduler().await(node.runcBinary().invoke(new Invocation(List.of(args), Map.of(),
        Streams.empty(), out, err)));
    return new CommandResult(out.bytes(), err.bytes(), code);
  }

  @Test
  void detachedRunLeavesTheContainerRunningForExecs() {
    String b = bundle("/var/lib/bundle", "sleep", "3600");

    CommandResult run = runc("--root", ROOT, "run", "-d", "--bundle", b, "c1");
    CommandResult exec = runc("--root", ROOT, "exec", "c1", "echo", "hi");

    assertThat(run.exitCode()).isZero();
    assertThat(exec.stdoutText()).isEqualTo("hi\n");
  }

  @Test
  void foregroundRunReturnsTheInitsExitCode() {
    String b = bundle("/var/lib/bundle", "sh", "-c", "exit 3");

    assertThat(node.runc("--root", ROOT, "run", "--bundle", b, "c2").exitCode()).isEqualTo(3);
  }

  @Test
  void runOfAnIdInUseFailsAsCreateDoes() {
    String b = bundle("/var/lib/bundle", "sleep", "3600");
    runc("--root", ROOT, "run", "-d", "--bundle", b, "c1");

    CommandResult again = runc("--root", ROOT, "run", "-d", "--bundle", b, "c1");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderrText()).contains("msg=\"runc run failed: container with given ID already exists\"");
  }
}
