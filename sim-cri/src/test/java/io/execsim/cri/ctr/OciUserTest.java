package io.execsim.cri.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.oci.ProcessSpec.User;
import io.execsim.core.sched.DeterministicScheduler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** containerd's {@code oci.WithUser} against a root file system, as {@code ctr task exec --user} applies it. */
class OciUserTest {
  private static final String ROOT = "/var/lib/rootfs";

  private final NodeFileSystem fs = new NodeFileSystem(new DeterministicScheduler());

  OciUserTest() {
    fs.mkdirAll(ROOT + "/etc", 0755);
  }

  private void write(String path, String text) {
    fs.writeFile(ROOT + path, text.getBytes(StandardCharsets.UTF_8), 0644);
  }

  private User user(String userstr) {
    return OciUser.withUser(fs, ROOT, userstr);
  }

  @Test
  void uidWithoutPasswdRunsWithGroupZero() {
    assertThat(user("65534")).isEqualTo(new User(65534, 0, List.of(0L)));
    assertThat(user("-1")).as("uint32(-1)").isEqualTo(new User(4294967295L, 0, List.of(0L)));
  }

  @Test
  void nameWithoutPasswdFailsWithTheOpenError() {
    assertThatThrownBy(() -> user("nobody"))
        .hasMessage("open /var/lib/rootfs/etc/passwd: no such file or directory");
  }

  @Test
  void passwdGivesTheUsersGroup() {
    write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n\n  nobody:x:65534:65533:nobody:/:/bin/false  \r\n"
        + "odd:x:12x:7\n");
    write("/etc/group", "# comment\nusers:x:100:\nnogroup:x:65533:\n");

    assertThat(user("nobody")).isEqualTo(new User(65534, 65533, List.of(65533L)));
    assertThat(user("65534")).isEqualTo(new User(65534, 65533, List.of(65533L)));
    assertThat(user("1000")).as("an unknown uid").isEqualTo(new User(1000, 0, List.of(0L)));
    assertThat(user("odd")).as("a uid that is no number reads as 0").isEqualTo(new User(0, 7, List.of(7L)));
    assertThat(user("nobody:users")).isEqualTo(new User(65534, 100, List.of(100L)));
    assertThat(user("7:nogroup")).isEqualTo(new User(7, 65533, List.of(65533L)));
    assertThatThrownBy(() -> user("ghost")).hasMessage("no users found");
    assertThatThrownBy(() -> user("ghost:users")).hasMessage("no users found");
    assertThatThrownBy(() -> user("root:wheel")).hasMessage("no groups found");
  }

  @Test
  void numericUserAndGroupNeedNoFiles() {
    assertThat(user("1:2")).isEqualTo(new User(1, 2, List.of(2L)));
    assertThat(OciUser.withUser(fs, "rootfs", "1:2")).isEqualTo(new User(1, 2, List.of(2L)));
    assertThatThrownBy(() -> OciUser.withUser(fs, "rootfs", "1")).hasMessage("rootfs absolute path is required");
    assertThatThrownBy(() -> user("1:2:3")).hasMessage("invalid USER value 1:2:3");
  }

  @Test
  void passwdThatIsADirectoryFailsTheRead() {
    fs.mkdirAll(ROOT + "/etc/passwd", 0755);

    assertThatThrownBy(() -> user("1")).hasMessage("read /var/lib/rootfs/etc/passwd: is a directory");
  }
}
