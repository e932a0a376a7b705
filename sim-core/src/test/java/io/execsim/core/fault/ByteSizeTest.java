package io.execsim.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void writesSizesInTheLargestUnitThatDividesThem() {
    assertThat(ByteSize.format(0)).isEqualTo("0");
    assertThat(ByteSize.format(1000)).isEqualTo("1000");
    assertThat(ByteSize.format(4096)).isEqualTo("4KiB");
    assertThat(ByteSize.format(3L << 20)).isEqualTo("3MiB");
    assertThat(ByteSize.format(1L << 30)).isEqualTo("1GiB");
    assertThat(ByteSize.parse("64KiB")).isEqualTo(65536);
    assertThat(ByteSize.parse("65536")).isEqualTo(65536);
    assertThatThrownBy(() -> ByteSize.parse("4KB"))
        .hasMessage("a size is a whole number of bytes, or of KiB, MiB or GiB: 4KB");
    assertThatThrownBy(() -> ByteSize.parse("9000000000GiB"))
        .hasMessage("a size must fit in 63 bits: 9000000000GiB");
  }
}
