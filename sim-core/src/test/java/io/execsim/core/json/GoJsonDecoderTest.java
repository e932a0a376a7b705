package io.execsim.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.execsim.core.error.GoError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoJsonDecoderTest {

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        Arguments.of("this is not json", "invalid character 'h' in literal true (expecting 'r')"),
        Arguments.of("nul!", "invalid character '!' in literal null (expecting 'l')"),
        Arguments.of("fals", "unexpected EOF"),
        Arguments.of("x", "invalid character 'x' looking for beginning of value"),
        Arguments.of("{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"),
        Arguments.of("{\"a\"}", "invalid character '}' after object key"),
        Arguments.of("[1 2]", "invalid character '2' after array element"),
        Arguments.of("[1,]", "invalid character ']' looking for beginning of value"),
        Arguments.of("{x}", "invalid character 'x' looking for beginning of object key string"),
        Arguments.of("{\"a\":1,}", "invalid character '}' looking for beginning of object key string"),
        Arguments.of("\"a\tb\"", "invalid character '\\t' in string literal"),
        Arguments.of("\"a\nb\"", "invalid character '\\n' in string literal"),
        Arguments.of("\"\u0000\"", "invalid character '\\x00' in string literal"),
        Arguments.of("\"\\q\"", "invalid character 'q' in string escape code"),
        Arguments.of("\"\\u12G4\"", "invalid character 'G' in \\u hexadecimal character escape"),
        Arguments.of("-x", "invalid character 'x' in numeric literal"),
        Arguments.of("1.x", "invalid character 'x' after decimal point in numeric literal"),
        Arguments.of("1e+x", "invalid character 'x' in exponent of numeric literal"),
        Arguments.of("'a'", "invalid character '\\'' looking for beginning of value"),
        Arguments.of("\\", "invalid character '\\\\' looking for beginning of value"),
        Arguments.of("\u007f", "invalid character '\\x7f' looking for beginning of value"),
        Arguments.of("\u0007", "invalid character '\\a' looking for beginning of value"));
  }

  @ParameterizedTest
  @MethodSource("syntaxErrors")
  void syntaxErrorsUseGoScannerWords(String json, String text) {
    assertFirstValueFails(bytes(json), text);
  }

  @Test
  void nonAsciiBytesAreQuotedAsLatin1Runes() {
    assertFirstValueFails(new byte[] {(byte) 0xc3, (byte) 0xa9},
        "invalid character 'Ã' looking for beginning of value");
    assertFirstValueFails(new byte[] {(byte) 0x80}, "invalid character '\\u0080' looking for beginning of value");
    assertFirstValueFails(new byte[] {(byte) 0xa0}, "invalid character '\\u00a0' looking for beginning of value");
    assertFirstValueFails(new byte[] {(byte) 0xad}, "invalid character '\\u00ad' looking for beginning of value");
    assertFirstValueFails(new byte[] {(byte) 0xff}, "invalid character 'ÿ' looking for beginning of value");
  }

  @Test
  void emptyOrBlankInputIsEof() {
    assertFirstValueFails(bytes(""), "EOF");
    assertFirstValueFails(bytes(" \n\t\r "), "EOF");
    assertThat(GoJsonDecoder.of(bytes(" \n")).hasNext()).isFalse();
  }

  @Test
  void inputEndingInsideValueIsUnexpectedEof() {
    assertFirstValueFails(bytes("{\"terminal\":false,\"args\":[\"echo\",\"hi\""), "unexpected EOF");
    assertFirstValueFails(bytes("  \"abc"), "unexpected EOF");
    assertFirstValueFails(bytes("1."), "unexpected EOF");
    assertFirstValueFails(bytes("-"), "unexpected EOF");
    assertFirstValueFails(bytes("[[]"), "unexpected EOF");
  }

  @Test
  void numberAtEndOfInputIsComplete() {
    assertThat(GoJsonDecoder.of(bytes("12")).next()).isEqualTo(LongNode.valueOf(12));
  }

  @Test
  void valuesFollowEachOtherUntilEof() {
    GoJsonDecoder decoder = GoJsonDecoder.of(bytes("{\"a\":1}{\"b\":[true,null]} [3]\"x\"\n4 5\n"));

    assertThat(decoder.next()).hasToString("{\"a\":1}");
    assertThat(decoder.next()).hasToString("{\"b\":[true,null]}");
    assertThat(decoder.next()).hasToString("[3]");
    assertThat(decoder.next().textValue()).isEqualTo("x");
    assertThat(decoder.next().longValue()).isEqualTo(4);
    assertThat(decoder.hasNext()).isTrue();
    assertThat(decoder.next().longValue()).isEqualTo(5);
    assertThat(decoder.hasNext()).isFalse();
    assertThatExceptionOfType(GoError.class).isThrownBy(decoder::next).withMessage("EOF");
  }

  @Test
  void garbageRightAfterScalarFailsTheNextCall() {
    GoJsonDecoder decoder = GoJsonDecoder.of(bytes("123x"));

    assertThat(decoder.next()).isEqualTo(LongNode.valueOf(123));
    assertThatExceptionOfType(GoError.class).isThrownBy(decoder::next)
        .withMessage("invalid character 'x' looking for beginning of value");
  }

  @Test
  void garbageAfterObjectFailsTheNextCall() {
    GoJsonDecoder decoder = GoJsonDecoder.of(bytes("{}]"));

    assertThat(decoder.next().isObject()).isTrue();
    assertThatExceptionOfType(GoError.class).isThrownBy(decoder::next)
        .withMessage("invalid character ']' looking for beginning of value");
  }

  @Test
  void readErrorIsSticky() {
    GoJsonDecoder decoder = GoJsonDecoder.of(bytes("[1}\n{}"));

    assertThatExceptionOfType(GoError.class).isThrownBy(decoder::next)
        .withMessage("invalid character '}' after array element");
    assertThat(decoder.hasNext()).isTrue();
    assertThatExceptionOfType(GoError.class).isThrownBy(decoder::next)
        .withMessage("invalid character '}' after array element");
  }

  @Test
  void nestingDeeperThanTenThousandFails() {
    String ok = "[".repeat(10_000) + "]".repeat(10_000);
    String tooDeep = "[".repeat(10_001) + "]".repeat(10_001);

    assertThat(GoJsonDecoder.of(bytes(ok)).next().isArray()).isTrue();
    assertFirstValueFails(bytes(tooDeep), "invalid character '[' exceeded max depth");
  }

  @Test
  void integersThatFitAreLongsAndOtherNumbersExactDecimals() {
    GoJsonDecoder decoder = GoJsonDecoder.of(bytes("-7 1.50 1e3 9223372036854775808"));

    assertThat(decoder.next()).isEqualTo(LongNode.valueOf(-7));
    assertThat(decoder.next()).isEqualTo(DecimalNode.valueOf(new BigDecimal("1.50")));
    assertThat(decoder.next()).isEqualTo(DecimalNode.valueOf(new BigDecimal("1e3")));
    assertThat(decoder.next()).isEqualTo(DecimalNode.valueOf(new BigDecimal("9223372036854775808")));
  }

  @Test
  void stringEscapesAreDecoded() {
    assertThat(text("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\"")).isEqualTo("\"\\/\b\f\n\r\té€");
    assertThat(text("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void surrogatesThatDoNotPairBecomeReplacementCharacters() {
    assertThat(text("\"\\ud83dx\"")).isEqualTo("\uFFFDx");
    assertThat(text("\"\\ud83d\\u0041\"")).isEqualTo("\uFFFDA");
    assertThat(text("\"\\ude00\\ud83d\"")).isEqualTo("\uFFFD\uFFFD");
  }

  @Test
  void invalidUtf8BecomesOneReplacementCharacterPerByte() {
    assertThat(text(new byte[] {'"', 'a', (byte) 0xff, 'b', '"'})).isEqualTo("a\uFFFDb");
    assertThat(text(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'})).isEqualTo("\uFFFD\uFFFD");
    assertThat(text(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'})).isEqualTo("\uFFFD\uFFFD\uFFFD");
    assertThat(text(new byte[] {'"', (byte) 0xe2, (byte) 0x82, '"'})).isEqualTo("\uFFFD\uFFFD");
    assertThat(text(bytes("\"é😀\""))).isEqualTo("é😀");
  }

  @Test
  void objectKeysAreUnquotedAndLaterDuplicatesWin() {
    JsonNode node = GoJsonDecoder.of(bytes("{\"a\\u0062\":1,\"ab\":2, \"c\" : [] }")).next();

    assertThat(node).hasToString("{\"ab\":2,\"c\":[]}");
  }

  private static void assertFirstValueFails(byte[] json, String text) {
    assertThatExceptionOfType(GoError.class).isThrownBy(() -> GoJsonDecoder.of(json).next()).withMessage(text);
  }

  private static String text(String json) {
    return text(bytes(json));
  }

  private static String text(byte[] json) {
    return GoJsonDecoder.of(json).next().textValue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
