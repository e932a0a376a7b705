package io.execsim.core.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.GoError;
import io.execsim.core.process.TerminalSize;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResizeDecoderTest {
  private final ResizeDecoder decoder = new ResizeDecoder();

  @Test
  void valuesMaySpanMessagesAndShareOne() {
    assertThat(decoder.feed(bytes("{\"Width\":80,"))).isEmpty();
    assertThat(decoder.feed(bytes("\"Height\":24}\n{\"Width\":1,\"Height\":2}\n{")))
        .containsExactly(new TerminalSize(80, 24), new TerminalSize(1, 2));
    assertThat(decoder.feed(bytes("\"wIdTh\":3,\"extra\":[1,2]}")))
        .containsExactly(new TerminalSize(3, 0));
    assertThat(decoder.failure()).isEmpty();
  }

  @Test
  void nullIsAZeroSizeAndANullFieldChangesNothing() {
    assertThat(decoder.feed(bytes("null {\"Width\":null,\"Height\":7}")))
        .containsExactly(new TerminalSize(0, 0), new TerminalSize(0, 7));
  }

  @Test
  void aValueOutOfUint16EndsDecodingWithGoText() {
    assertThat(decoder.feed(bytes("{\"Width\":65536,\"Height\":1}{\"Width\":1,\"Height\":1}"))).isEmpty();

    assertThat(decoder.failure()).map(GoError::text).contains(
        "json: cannot unmarshal number 65536 into Go struct field TerminalSize.Width of type uint16");
    assertThat(decoder.feed(bytes("{\"Width\":1,\"Height\":1}"))).isEmpty();
  }

  @Test
  void syntaxErrorsAndOtherKindsEndDecoding() {
    assertThat(decoder.feed(bytes("{\"Width\":1,\"Height\":1} x"))).containsExactly(new TerminalSize(1, 1));
    assertThat(decoder.failure()).isPresent();

    ResizeDecoder other = new ResizeDecoder();
    assertThat(other.feed(bytes("[80,24]"))).isEmpty();
    assertThat(other.failure()).map(GoError::text)
        .contains("json: cannot unmarshal array into Go value of type remotecommand.TerminalSize");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
