package io.execsim.runc;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.io.Streams;
import io.execsim.core.node.Node;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import io.execsim.core.trace.Trace;
import io.execsim.runc.programs.BuiltinPrograms;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A container process runs as the user runc set up, and so do the children it spawns. */
class ContainerProcessCredentialsTest {
  private final DeterministicScheduler scheduler = new DeterministicScheduler();
  private final Node node = new Node("node-1", scheduler, new SimRandom(1), new Trace(scheduler));
  private final Runc runc = new Runc(node, new ProgramRegistry().registerAll(BuiltinPrograms.all()));
  private final Container container;

  ContainerProcessCredentialsTest() {
    node.fs().mkdirAll("/bundle/rootfs/etc", 0755);
    FileSystemView root = node.fs().view("/bundle/rootfs");
    BuiltinPrograms.all().keySet().forEach(name -> ProgramRegistry.install(root, "/bin/" + name, name));
    container = new Container("c1", "/bundle", root, ProcessSpec.of(List.of("sh"), List.of("PATH=/bin")));
  }

  /** Starts {@code spec} as runc starts a process, its user set up first, and collects its output. */
  private String run(ProcessSpec spec) {
    ExecUser user = ExecUser.setUp(container.root(), spec);
    Runc.Resolved r = runc.resolve(container, spec.cwd(), spec.env(), spec.args());
    Streams.Collector out = new Streams.Collector(1 << 20);
    ContainerProcess p = new ContainerProcess(runc, container, node.processes().allocatePid(), r.argv(),
        user.env(), spec.cwd(), new ContainerProcess.Streams3(Streams.empty(), out, Streams.discard()), true, null,
        user.credentials());
    node.processes().add(p);
    container.addExec(p);
    p.start(r.program());

    assertThat(scheduler.await(p.exit())).isEqualTo(ExitStatus.exited(0));
    return new String(out.bytes(), StandardCharsets.UTF_8);
  }

  private static ProcessSpec spec(ProcessSpec.User user, String script) {
    return new ProcessSpec(false, null, user, List.of("sh", "-c", script), List.of("PATH=/bin"), "/", null,
        List.of(), false);
  }

  @Test
  void processAndItsChildrenRunAsTheSpecUser() {
    String out = run(spec(new ProcessSpec.User(65534, 0, List.of(0L)), "id; sh -c 'id; echo $HOME'"));

    assertThat(out).isEqualTo("uid=65534 gid=0 groups=0\nuid=65534 gid=0 groups=0\n/\n");
  }

  @Test
  void userFilesNameTheIdsAndGiveTheHome() {
    node.fs().writeFile("/bundle/rootfs/etc/passwd", "nobody:x:65534:65534:nobody:/home/nobody:/bin/false\n"
        .getBytes(StandardCharsets.UTF_8), 0644);
    node.fs().writeFile("/bundle/rootfs/etc/group", "nogroup:x:65534:\nusers:x:100:nobody\n"
        .getBytes(StandardCharsets.UTF_8), 0644);

    String out = run(spec(new ProcessSpec.User(65534, 65534), "id; echo $HOME"));

    assertThat(out).isEqualTo("uid=65534(nobody) gid=65534(nogroup)\n/home/nobody\n");
  }
}
