package io.execsim.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTest {

  @Test
  void repeatedKeysKeepTheirValuesInOrder() {
    Query q = Query.parse("command=sh&command=-c&command=echo+hi%21&stdout=true");

    assertThat(q.all("command")).containsExactly("sh", "-c", "echo hi!");
    assertThat(q.get("stdout")).isEqualTo("true");
    assertThat(q.get("stdin")).isEmpty();
    assertThat(q.has("stdin")).isFalse();
  }

  @Test
  void pairsGoCannotDecodeAreDropped() {
    Query q = Query.parse("a=1&b=%zz&c;d=2&&e");

    assertThat(q.asMap()).containsOnlyKeys("a", "e");
    assertThat(q.get("e")).isEmpty();
  }

  @Test
  void encodeSortsKeysAndEscapesAsQueryEscape() {
    Query q = Query.builder()
        .add("output", "1")
        .add("command", "sh")
        .add("command", "-c")
        .add("command", "echo a&b=c/d ~x")
        .add("error", "1")
        .add("input", "1")
        .build();

    assertThat(q.encode())
        .isEqualTo("command=sh&command=-c&command=echo+a%26b%3Dc%2Fd+~x&error=1&input=1&output=1");
  }

  @Test
  void targetWithoutQueryHasNone() {
    assertThat(Query.ofTarget("/api/v1").asMap()).isEmpty();
    assertThat(Query.ofTarget("/api?timeout=32s").get("timeout")).isEqualTo("32s");
  }
}
