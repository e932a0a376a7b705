package io.execsim.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.PathError;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.core.sched.SimRandom;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** A mount remounted read-only and back: every change fails with Go's EROFS text, reads work. */
class NodeFileSystemReadOnlyTest {
  private final NodeFileSystem fs = new NodeFileSystem(new DeterministicScheduler());

  NodeFileSystemReadOnlyTest() {
    fs.mount("/state", MountSpec.tmpfs(1 << 20, 64));
    fs.mkdirAll("/state/dir/sub", 0755);
    fs.writeFile("/state/file", "kept".getBytes(StandardCharsets.UTF_8), 0644);
  }

  @Test
  void everyChangeFailsWithReadOnlyFileSystem() {
    fs.setReadOnly("/state", true);

    assertThatThrownBy(() -> fs.writeFile("/state/new", new byte[1], 0644))
        .isInstanceOf(PathError.class).hasMessage("open /state/new: read-only file system");
    assertThatThrownBy(() -> fs.open("/state/file", EnumSet.of(OpenFlag.WRITE, OpenFlag.APPEND), 0644))
        .hasMessage("open /state/file: read-only file system");
    assertThatThrownBy(() -> fs.createTemp("/state", "runc-process", new SimRandom(1)))
        .hasMessageMatching("open /state/runc-process[0-9]+: read-only file system");
    assertThatThrownBy(() -> fs.mkdir("/state/d", 0755)).hasMessage("mkdir /state/d: read-only file system");
    assertThatThrownBy(() -> fs.mkdirAll("/state/dir/sub/a/b", 0755))
        .hasMessage("mkdir /state/dir/sub/a: read-only file system");
    assertThatThrownBy(() -> fs.mkdirTemp("/state", "pty", new SimRandom(1)))
        .hasMessageMatching("mkdir /state/pty[0-9]+: read-only file system");
    assertThatThrownBy(() -> fs.mkfifo("/state/f", 0700)).hasMessage("mkfifo /state/f: read-only file system");
    assertThatThrownBy(() -> fs.mksock("/state/s", 0600)).hasMessage("bind /state/s: read-only file system");
    assertThatThrownBy(() -> fs.remove("/state/file")).hasMessage("remove /state/file: read-only file system");
    assertThatThrownBy(() -> fs.rename("/state/file", "/state/moved"))
        .hasMessage("rename /state/file /state/moved: read-only file system");
  }

  @Test
  void readsWork() {
    fs.setReadOnly("/state", true);

    assertThat(fs.readFile("/state/file")).asString(StandardCharsets.UTF_8).isEqualTo("kept");
    assertThat(fs.list("/state")).containsExactly("dir", "file");
    assertThat(fs.stat("/state/dir").isDirectory()).isTrue();
    fs.mkdirAll("/state/dir/sub", 0755);
    assertThat(fs.usage("/state").spec().readOnly()).isTrue();
  }

  @Test
  void theWriteAccessCheckComesBeforeTheNameIsLookedUp() {
    fs.setReadOnly("/state", true);

    // unlink(2) and rename(2) ask for write access to the mount first; mkdir(2) finds an existing name first
    assertThatThrownBy(() -> fs.remove("/state/nosuch")).hasMessage("remove /state/nosuch: read-only file system");
    assertThatThrownBy(() -> fs.rename("/state/nosuch", "/state/x"))
        .hasMessage("rename /state/nosuch /state/x: read-only file system");
    assertThatThrownBy(() -> fs.mkdir("/state/dir", 0755)).hasMessage("mkdir /state/dir: file exists");
  }

  @Test
  void aFileOpenForWritingFailsItsNextWrite() {
    FileHandle h = fs.open("/state/file", EnumSet.of(OpenFlag.WRITE, OpenFlag.APPEND), 0644);

    fs.setReadOnly("/state", true);

    assertThatThrownBy(() -> h.write(new byte[1])).hasMessage("write /state/file: read-only file system");
    h.close();
  }

  @Test
  void writableAgainAcceptsChanges() {
    fs.setReadOnly("/state", true);

    fs.setReadOnly("/state", false);

    fs.writeFile("/state/new", new byte[1], 0644);
    fs.rename("/state/new", "/state/renamed");
    fs.remove("/state/renamed");
    assertThat(fs.list("/state")).containsExactly("dir", "file");
  }

  @Test
  void onlyTheMountItselfTurnsReadOnly() {
    fs.mount("/state/inner", MountSpec.tmpfs(1 << 20, 64));
    fs.mkdirAll("/other", 0755);

    fs.setReadOnly("/state", true);

    fs.writeFile("/state/inner/x", new byte[1], 0644);
    fs.writeFile("/other/x", new byte[1], 0644);
    assertThat(fs.exists("/state/inner/x")).isTrue();
  }

  @Test
  void onlyMountPointsCanBeRemounted() {
    assertThatThrownBy(() -> fs.setReadOnly("/state/dir", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not a mount point: /state/dir");
  }

  @Test
  void aContainersViewNamesItsOwnPaths() {
    fs.mkdirAll("/state/rootfs/data", 0755);
    fs.mount("/state/rootfs/data", MountSpec.tmpfs(1 << 20, 64));
    FileSystemView root = fs.view("/state/rootfs");

    fs.setReadOnly("/state/rootfs/data", true);

    assertThatThrownBy(() -> root.writeFile("/data/f", new byte[1], 0644))
        .hasMessage("open /data/f: read-only file system");
    root.writeFile("/f", new byte[1], 0644);
  }
}
