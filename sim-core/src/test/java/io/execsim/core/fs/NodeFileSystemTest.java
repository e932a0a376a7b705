package io.execsim.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.PathError;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class NodeFileSystemTest {
  private final NodeFileSystem fs = new NodeFileSystem(new DeterministicScheduler());
  private final SimRandom random = new SimRandom(3);

  @Test
  void runningOutOfInodesFailsTheCreate() {
    fs.mount("/tmp", MountSpec.tmpfs(64 * 1024, 3));
    fs.writeFile("/tmp/a", new byte[0], 0644);
    fs.writeFile("/tmp/b", new byte[0], 0644);

    assertThatThrownBy(() -> fs.createTemp("/tmp", "runc-process", random))
        .isInstanceOf(PathError.class)
        .hasMessageMatching("open /tmp/runc-process[0-9]+: no space left on device");
  }

  @Test
  void runningOutOfBlocksFailsTheWriteAfterWritingWhatFits() {
    fs.mount("/tmp", MountSpec.tmpfs(8192, 64));
    FileHandle f = fs.createTemp("/tmp", "runc-process", random);

    assertThatThrownBy(() -> f.write(new byte[10_000]))
        .isInstanceOf(PathError.class)
        .hasMessage("write " + f.name() + ": no space left on device");
    f.close();
    assertThat(fs.readFile(f.name())).hasSize(8192);
  }

  @Test
  void freedSpaceCanBeUsedAgain() {
    fs.mount("/tmp", MountSpec.tmpfs(4096, 64));
    fs.writeFile("/tmp/fill", new byte[4096], 0644);
    fs.remove("/tmp/fill");

    fs.writeFile("/tmp/again", new byte[4096], 0644);

    assertThat(fs.usage("/tmp").usedBytes()).isEqualTo(4096);
    assertThat(fs.usage("/tmp").usedInodes()).isEqualTo(2);
  }

  @Test
  void readOnlyMountRefusesChanges() {
    fs.mount("/ro", MountSpec.unlimited().withReadOnly(true));

    assertThatThrownBy(() -> fs.writeFile("/ro/x", new byte[1], 0644))
        .hasMessage("open /ro/x: read-only file system");
  }

  @Test
  void missingParentIsNoSuchFile() {
    assertThatThrownBy(() -> fs.open("/nosuch/x", EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE), 0644))
        .hasMessage("open /nosuch/x: no such file or directory");
  }

  @Test
  void tooManyOpenFiles() {
    fs.setMaxOpenFiles(1);
    FileHandle first = fs.open("/a", EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE), 0644);

    assertThatThrownBy(() -> fs.open("/b", EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE), 0644))
        .hasMessage("open /b: too many open files");
    first.close();
  }

  @Test
  void viewNamesPathsAsTheContainerSeesThem() {
    fs.mkdirAll("/bundle/rootfs/bin", 0755);
    FileSystemView root = fs.view("/bundle/rootfs");

    root.writeFile("/bin/x", new byte[] {1}, 0755);

    assertThat(fs.exists("/bundle/rootfs/bin/x")).isTrue();
    assertThat(root.stat("/../bin/x").isExecutable()).isTrue();
    assertThatThrownBy(() -> root.stat("/nosuch")).hasMessage("stat /nosuch: no such file or directory");
  }
}
