package io.execsim.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.oci.ProcessSpec;
import io.execsim.core.process.Credentials;
import io.execsim.core.sched.DeterministicScheduler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** runc v1.1.5's setupUser for the numeric user a spec names, against the container's passwd and group files. */
class ExecUserTest {
  private static final String RANGE = "unable to setup user: uids and gids must be in range 0-2147483647";

  private final FileSystemView root;

  ExecUserTest() {
    NodeFileSystem fs = new NodeFileSystem(new DeterministicScheduler());
    fs.mkdirAll("/rootfs/etc", 0755);
    root = fs.view("/rootfs");
  }

  private ExecUserTest file(String path, String text) {
    root.writeFile(path, text.getBytes(StandardCharsets.UTF_8), 0644);
    return this;
  }

  private static ProcessSpec spec(long uid, long gid, List<Long> additionalGids, String... env) {
    return new ProcessSpec(false, null, new ProcessSpec.User(uid, gid, additionalGids), List.of("id"),
        List.of(env), "/", null, List.of(), false);
  }

  private ExecUser setUp(long uid, long gid, List<Long> additionalGids, String... env) {
    return ExecUser.setUp(root, spec(uid, gid, additionalGids, env));
  }

  private String failure(long uid, long gid, List<Long> additionalGids) {
    return assertThatThrownBy(() -> setUp(uid, gid, additionalGids)).isInstanceOf(GoError.class)
        .actual().getMessage();
  }

  @Test
  void withoutUserFilesTheSpecIdsAreTakenAsTheyAre() {
    assertThat(setUp(65534, 65534, List.of()).credentials()).isEqualTo(new Credentials(65534, 65534, List.of()));
    assertThat(setUp(7, 0, List.of()).credentials()).isEqualTo(new Credentials(7, 0, List.of()));
    assertThat(setUp(65534, 0, List.of(0L)).credentials()).isEqualTo(new Credentials(65534, 0, List.of(0L)));
    assertThat(setUp(0, 0, List.of()).credentials()).isEqualTo(Credentials.ROOT);
  }

  @Test
  void homeIsSetOnlyWhenMissingOrEmpty() {
    assertThat(setUp(0, 0, List.of(), "PATH=/bin").env()).containsExactly("PATH=/bin", "HOME=/");
    assertThat(setUp(0, 0, List.of(), "HOME=/data", "PATH=/bin").env()).containsExactly("HOME=/data", "PATH=/bin");
    assertThat(setUp(0, 0, List.of(), "HOME=/x", "PATH=/bin", "HOME=").env())
        .containsExactly("HOME=/", "PATH=/bin");
  }

  @Test
  void thePasswdEntryOfTheUidGivesTheHomeOnly() {
    file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
        + "short:x:9:9\n");
    file("/etc/group", "root:x:0:\nwheel:x:10:root,nobody\nnogroup:x:65534:\n");

    ExecUser nobody = setUp(65534, 0, List.of(), "PATH=/bin");
    assertThat(nobody.credentials()).isEqualTo(new Credentials(65534, 0, List.of()));
    assertThat(nobody.env()).containsExactly("PATH=/bin", "HOME=/nonexistent");
    assertThat(setUp(0, 0, List.of()).env()).containsExactly("HOME=/root");
    assertThat(setUp(9, 9, List.of()).env()).as("an entry without a home field").containsExactly("HOME=");
    assertThat(setUp(8, 8, List.of()).env()).containsExactly("HOME=/");
  }

  @Test
  void passwdLinesAreReadAsRuncReadsThem() {
    // parseLine ignores conversion errors: a uid that is no number is 0; passwd lines have no comments
    file("/etc/passwd", "  \n#c:x:x:x:x:/comment\nbad:x:abc:0::/bad\n\tspaced:x:5:5::/spaced  \r\n");

    assertThat(setUp(0, 0, List.of()).env()).containsExactly("HOME=/comment");
    assertThat(setUp(5, 5, List.of()).env()).containsExactly("HOME=/spaced");
  }

  @Test
  void additionalGidsAreLookedUpByNameOrGidOnce() {
    file("/etc/group", "# 3:x:3:\nfive:x:05:\n7:x:70:\n7:x:71:\n");

    assertThat(setUp(1, 1, List.of(5L, 7L, 7L, 7L, 9L, 5L)).credentials().groups())
        .as("gid 05 is 5; the group named 7 twice, then 7 itself; 9 as it is").containsExactly(5L, 7L, 9L, 70L, 71L);
    assertThat(setUp(1, 1, List.of(3L)).credentials().groups()).containsExactly(3L);
  }

  @Test
  void idsOutOfRangeFailUnlessAFileNamesThem() {
    assertThat(failure(2147483648L, 0, List.of())).isEqualTo(RANGE);
    assertThat(failure(0, 4294967294L, List.of())).isEqualTo(RANGE);
    assertThat(failure(0, 0, List.of(1L, 3000000000L))).isEqualTo(RANGE);

    file("/etc/passwd", "big:x:3000000000:0::/big:\n").file("/etc/group", "big:x:3000000000:\n");
    assertThat(setUp(3000000000L, 3000000000L, List.of(3000000000L)).credentials())
        .isEqualTo(new Credentials(3000000000L, 3000000000L, List.of(3000000000L)));
  }

  @Test
  void theKernelRefusesTheNoIdAndTooManyGroups() {
    file("/etc/passwd", "none:x:4294967295:0::/:\n").file("/etc/group", "none:x:4294967295:\n");

    assertThat(failure(4294967295L, 0, List.of())).isEqualTo("unable to setup user: invalid argument");
    assertThat(failure(0, 4294967295L, List.of())).isEqualTo("unable to setup user: invalid argument");
    assertThat(failure(0, 0, List.of(4294967295L))).isEqualTo("unable to setup user: setgroups: invalid argument");
    List<Long> many = new ArrayList<>(LongStream.rangeClosed(1, 65537).boxed().toList());
    assertThat(failure(0, 0, many)).isEqualTo("unable to setup user: setgroups: invalid argument");
    assertThat(setUp(0, 0, many.subList(0, 65536)).credentials().groups()).hasSize(65536);
  }

  @Test
  void unreadableUserFilesFailWithRuncTexts() {
    root.mkdir("/etc/passwd", 0755);
    assertThat(failure(7, 0, List.of()))
        .isEqualTo("unable to setup user: unable to find user 7: read /etc/passwd: is a directory");

    root.remove("/etc/passwd");
    file("/etc/passwd", "nobody:x:65534:65534::/:\n" + "x".repeat(65535) + "\n");
    assertThat(setUp(65534, 0, List.of()).credentials().uid()).isEqualTo(65534);
    file("/etc/passwd", "nobody:x:65534:65534::/:\n" + "x".repeat(65536) + "\n");
    assertThat(failure(65534, 0, List.of()))
        .isEqualTo("unable to setup user: unable to find user 65534: bufio.Scanner: token too long");

    file("/etc/passwd", "nobody:x:65534:65534::/:\n");
    root.mkdir("/etc/group", 0755);
    assertThat(failure(65534, 0, List.of()))
        .isEqualTo("unable to setup user: unable to find groups for spec nobody: read /etc/group: is a directory");
    assertThat(failure(1, 0, List.of()))
        .isEqualTo("unable to setup user: unable to find groups for spec : read /etc/group: is a directory");
  }
}
