package io.execsim.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.GoError;
import io.execsim.core.process.UserFiles.Group;
import io.execsim.core.process.UserFiles.Passwd;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UserFilesTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void passwdKeepsCommentLinesAndSkipsBlankOnes() {
    assertThat(UserFiles.passwd(bytes("root:x:0:0:root:/root:/bin/sh\n\n  \n#x:x:1:2\nnobody:x:65534:65534::/:")))
        .containsExactly(new Passwd("root", 0, 0, "/root"), new Passwd("#x", 1, 2, ""),
            new Passwd("nobody", 65534, 65534, "/"));
  }

  @Test
  void groupsSkipCommentsAndBlankLines() {
    assertThat(UserFiles.groups(bytes("# comment\nroot:x:0:\n\nwheel:x:10:root\n")))
        .containsExactly(new Group("root", 0), new Group("wheel", 10));
  }

  @Test
  void numbersAreStrconvAtoiWithItsErrorIgnored() {
    assertThat(UserFiles.passwd(bytes("a:x:12x:-3\nb:x:99999999999999999999:+7\nc")))
        .containsExactly(new Passwd("a", 0, -3, ""), new Passwd("b", Long.MAX_VALUE, 7, ""), new Passwd("c", 0, 0, ""));
  }

  @Test
  void linesAreTrimmedOfUnicodeSpace() {
    assertThat(UserFiles.groups(bytes("\u00a0 staff:x:50:\r\n"))).containsExactly(new Group("staff", 50));
  }

  @Test
  void aPasswdLineOf64KibFailsTheScanButAGroupLineDoesNot() {
    String longName = "u".repeat(64 * 1024);
    assertThatThrownBy(() -> UserFiles.passwd(bytes("root:x:0:0\n" + longName + ":x:1:1\n")))
        .isInstanceOf(GoError.class).hasMessage("bufio.Scanner: token too long");
    assertThat(UserFiles.groups(bytes(longName + ":x:1:\n"))).containsExactly(new Group(longName, 1));
  }
}
