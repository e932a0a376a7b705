package io.execsim.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrconvTest {

  @Test
  void atoiTakesASignedDecimal() {
    assertThat(Strconv.atoi("65534")).isEqualTo(65534);
    assertThat(Strconv.atoi("+7")).isEqualTo(7);
    assertThat(Strconv.atoi("-1")).isEqualTo(-1);
    assertThatThrownBy(() -> Strconv.atoi("x")).hasMessage("strconv.Atoi: parsing \"x\": invalid syntax");
    assertThatThrownBy(() -> Strconv.atoi("")).hasMessage("strconv.Atoi: parsing \"\": invalid syntax");
    assertThatThrownBy(() -> Strconv.atoi("1_000")).hasMessage("strconv.Atoi: parsing \"1_000\": invalid syntax");
    assertThatThrownBy(() -> Strconv.atoi("0x10")).hasMessage("strconv.Atoi: parsing \"0x10\": invalid syntax");
    assertThatThrownBy(() -> Strconv.atoi("٣")).hasMessage("strconv.Atoi: parsing \"٣\": invalid syntax");
  }

  @Test
  void outOfRangeGivesTheNearestBound() {
    assertThatThrownBy(() -> Strconv.atoi("9223372036854775808"))
        .hasMessage("strconv.Atoi: parsing \"9223372036854775808\": value out of range")
        .satisfies(e -> assertThat(((Strconv.NumError) e).value()).isEqualTo(Long.MAX_VALUE));
    assertThatThrownBy(() -> Strconv.parseInt("-9223372036854775809", 10, 64))
        .satisfies(e -> assertThat(((Strconv.NumError) e).value()).isEqualTo(Long.MIN_VALUE));
    assertThat(Strconv.parseInt("-9223372036854775808", 10, 64)).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> Strconv.parseUint("4294967296", 10, 32))
        .hasMessage("strconv.ParseUint: parsing \"4294967296\": value out of range");
    assertThat(Strconv.parseUint("18446744073709551615", 10, 64)).isEqualTo(-1L);
  }

  @Test
  void baseZeroTakesPrefixesAndUnderscores() {
    assertThat(Strconv.parseInt("0x1F", 0, 64)).isEqualTo(31);
    assertThat(Strconv.parseInt("0o17", 0, 64)).isEqualTo(15);
    assertThat(Strconv.parseInt("017", 0, 64)).isEqualTo(15);
    assertThat(Strconv.parseInt("0b101", 0, 64)).isEqualTo(5);
    assertThat(Strconv.parseInt("-1_000", 0, 64)).isEqualTo(-1000);
    assertThat(Strconv.parseInt("0", 0, 64)).isZero();
    assertThatThrownBy(() -> Strconv.parseInt("1__0", 0, 64)).hasMessage("strconv.ParseInt: parsing \"1__0\": "
        + "invalid syntax");
    assertThatThrownBy(() -> Strconv.parseInt("08", 0, 64)).hasMessage("strconv.ParseInt: parsing \"08\": "
        + "invalid syntax");
  }

  @Test
  void boolsAreGosTwelveSpellings() {
    assertThat(Strconv.parseBool("T")).isTrue();
    assertThat(Strconv.parseBool("False")).isFalse();
    assertThatThrownBy(() -> Strconv.parseBool("yes")).hasMessage("strconv.ParseBool: parsing \"yes\": "
        + "invalid syntax");
  }
}
