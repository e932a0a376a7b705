package io.execsim.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fs.MountSpec;
import io.execsim.core.node.Node;
import io.execsim.core.oci.OciRuntime;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.task.CreateTaskRequest;
import io.execsim.core.task.ExitResponse;
import io.execsim.core.task.ShimArgs;
import io.execsim.core.trace.Trace;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shim binary: a shim per container at its derived address, and the clean-up after a dead one. */
class RuncShimBinaryTest {
  private static final String ADDRESS = "/run/containerd/containerd.sock";

  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("n", scheduler, new SimRandom(1), new Trace(scheduler));
  private final ShimConfig config = ShimConfig.defaults();
  private final FakeRuntime runc = new FakeRuntime(node);
  private final FakeRuntime slow = new FakeRuntime(node);
  private final RuncShimBinary binary = new RuncShimBinary(node,
      name -> name.equals("runc") ? Optional.<OciRuntime>of(runc)
          : name.equals("/usr/local/bin/slowrunc") ? Optional.<OciRuntime>of(slow) : Optional.empty(),
      config);

  RuncShimBinaryTest() {
    node.fs().mount("/run", MountSpec.unlimited());
  }

  private ShimArgs args(String id, Optional<String> runtime) {
    String bundle = config.withNamespace("default").bundle(id);
    node.fs().mkdirAll(bundle, 0700);
    return new ShimArgs("default", id, bundle, ADDRESS, runtime);
  }

  @Test
  void startServesTheShimAtTheAddressDerivedFromContainerdsSocket() throws Exception {
    ShimArgs a = args("k1", Optional.empty());

    String address = scheduler.await(binary.start(a));

    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((ADDRESS + "/default/k1").getBytes(StandardCharsets.UTF_8)));
    assertThat(address).isEqualTo("unix:///run/containerd/s/" + sha);
    assertThat(new String(node.fs().readFile(a.bundle() + "/address"), StandardCharsets.UTF_8)).isEqualTo(address);
    assertThat(binary.shim("k1")).isPresent();
  }

  @Test
  void eachContainerGetsItsOwnShimWithTheRuntimeItNames() {
    ShimArgs plain = args("k1", Optional.empty());
    ShimArgs slowed = args("k4", Optional.of("/usr/local/bin/slowrunc"));
    scheduler.await(binary.start(plain));
    scheduler.await(binary.start(slowed));

    scheduler.await(binary.shim("k4").orElseThrow().create(new CreateTaskRequest("k4", slowed.bundle())));

    assertThat(binary.shim("k1")).isNotEqualTo(binary.shim("k4"));
    assertThat(slow.last("create")).endsWith("k4");
    assertThat(runc.invoked).isEmpty();
    assertThat(binary.alive()).hasSize(2);
  }

  @Test
  void deleteForceDeletesTheContainerOfADeadShimWithItsRuntime() {
    ShimArgs a = args("k1", Optional.empty());
    scheduler.await(binary.start(a));
    scheduler.await(binary.shim("k1").orElseThrow().create(new CreateTaskRequest("k1", a.bundle())));
    binary.shim("k1").orElseThrow().kill();

    ExitResponse exit = scheduler.await(binary.delete(a));

    assertThat(runc.last("delete")).containsSubsequence("--root", "/run/containerd/runc/default", "delete",
        "--force", "k1");
    assertThat(runc.started).allSatisfy(p -> assertThat(p.isRunning()).isFalse());
    assertThat(exit.exitStatus()).isEqualTo(137);
    assertThat(exit.pid()).isEqualTo(runc.started.get(0).pid());
    assertThat(scheduler.elapsed()).isEqualTo(Duration.ofMillis(1100));
  }
}
