package io.execsim.runc.programs;

import static io.execsim.runc.programs.RanAssert.assertThat;

import io.execsim.core.io.Streams;
import io.execsim.core.process.Credentials;
import io.execsim.core.process.ExitStatus;
import io.execsim.runc.programs.TestContainer.Ran;
import java.util.List;
import org.junit.jupiter.api.Test;

/** busybox {@code id} of the process's own credentials, and of a named user. */
class IdTest {
  private static final Credentials NOBODY = new Credentials(65534, 65534, List.of());

  private final TestContainer container = new TestContainer();

  /** Runs {@code argv} as {@code credentials} until it ends. */
  private Ran runAs(Credentials credentials, String... argv) {
    Streams.Collector out = new Streams.Collector(1 << 20);
    Streams.Collector err = new Streams.Collector(1 << 20);
    TestProcess p = new TestProcess(container, List.of(argv), credentials, Streams.empty(), out, err);
    ExitStatus exit = container.scheduler().await(container.start(p));
    return new Ran(List.of(argv), exit, out.bytes(), err.bytes(), container.scheduler().elapsed());
  }

  private void withUserFiles() {
    container.file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
        0644).file("/etc/group", "root:x:0:\nwheel:x:10:root,nobody\nnogroup:x:65534:\n", 0644);
  }

  @Test
  void idPrintsTheProcessIdsBare() {
    assertThat(runAs(NOBODY, "id")).printed("uid=65534 gid=65534\n").exitedWith(0);
    assertThat(runAs(new Credentials(7, 0, List.of()), "id")).printed("uid=7 gid=0\n");
    assertThat(runAs(Credentials.ROOT, "id")).printed("uid=0 gid=0\n");
  }

  @Test
  void idListsExactlyTheSupplementaryGroups() {
    assertThat(runAs(new Credentials(65534, 0, List.of(0L)), "id")).printed("uid=65534 gid=0 groups=0\n");
    assertThat(runAs(new Credentials(5, 5, List.of(30L, 5L, 20L)), "id")).printed("uid=5 gid=5 groups=5,20,30\n");
  }

  @Test
  void idNamesTheProcessIdsButTakesNoGroupsFromMemberLists() {
    withUserFiles();

    assertThat(runAs(NOBODY, "id")).printed("uid=65534(nobody) gid=65534(nogroup)\n");
    assertThat(runAs(new Credentials(0, 0, List.of(10L, 0L)), "id"))
        .printed("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
    assertThat(runAs(new Credentials(65534, 0, List.of(0L, 77L)), "id"))
        .printed("uid=65534(nobody) gid=0(root) groups=0(root),77\n");
  }

  @Test
  void idJustOptionsShowTheProcessIds() {
    withUserFiles();
    Credentials c = new Credentials(65534, 10, List.of(0L, 10L, 77L));

    assertThat(runAs(c, "id", "-u")).printed("65534\n");
    assertThat(runAs(c, "id", "-un")).printed("nobody\n");
    assertThat(runAs(c, "id", "-gr")).printed("10\n");
    assertThat(runAs(c, "id", "-G")).printed("10 0 77\n");
    assertThat(runAs(c, "id", "-Gn")).printed("wheel root 77\n").complained("id: unknown ID 77\n").exitedWith(1);
  }

  @Test
  void idOfANamedUserUsesItsEntryAndGroupList() {
    withUserFiles();

    assertThat(runAs(Credentials.ROOT, "id", "nobody"))
        .printed("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup),10(wheel)\n");
    assertThat(runAs(NOBODY, "id", "-G", "root")).printed("0 10\n");
    assertThat(runAs(NOBODY, "id", "ghost")).complained("id: unknown user ghost\n").exitedWith(1);
  }

  @Test
  void childrenRunAsTheirParent() {
    assertThat(runAs(new Credentials(7, 8, List.of(9L)), "sh", "-c", "id; sh -c id"))
        .printed("uid=7 gid=8 groups=9\nuid=7 gid=8 groups=9\n");
  }
}
