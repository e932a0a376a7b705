package io.execsim.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void groupsAreKeptAscendingAsTheKernelKeepsThem() {
    Credentials c = new Credentials(1, 2, List.of(30L, 0L, 30L, 4294967294L, 7L));

    assertThat(c.groups()).containsExactly(0L, 7L, 30L, 30L, 4294967294L);
    assertThat(Credentials.ROOT).isEqualTo(new Credentials(0, 0, List.of()));
  }

  @Test
  void idsOutsideTheKernelRangeAreRefused() {
    assertThatThrownBy(() -> new Credentials(-1, 0, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uid must be 0 to 4294967294: -1");
    assertThatThrownBy(() -> new Credentials(0, 4294967295L, List.of())).hasMessage(
        "gid must be 0 to 4294967294: 4294967295");
    assertThatThrownBy(() -> new Credentials(0, 0, List.of(1L, 4294967295L))).hasMessage(
        "supplementary gid must be 0 to 4294967294: 4294967295");
  }
}
