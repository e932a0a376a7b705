package io.execsim.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.execsim.core.error.GoError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RuntimeLogDecodingTest {
  private static final String NOSUCHBINARY = "{\"level\":\"error\",\"msg\":\"exec failed: unable to start container"
      + " process: exec: \\\"nosuchbinary\\\": executable file not found in $PATH\","
      + "\"time\":\"2026-12-03T12:43:34Z\"}\n";
  // The line that was cut off when the state directory filled up (real-runtime.md section 4.3).
  private static final String TRUNCATED = "{\"level\":\"error\",\"msg\":\"exec failed: write"
      + " $T/ctrd2/state/io.containerd.runtime.v2.task/n";
  private static final String CHDIR = "{\"level\":\"error\",\"msg\":\"exec failed: unable to start container process:"
      + " chdir to cwd (\\\"/nosuchdir\\\") set in config.json failed: no such file or directory\","
      + "\"time\":\"2026-12-03T12:43:53Z\"}\n";
  private static final String INFO = "{\"level\":\"info\",\"msg\":\"started\",\"time\":\"2026-12-03T12:44:00Z\"}\n";

  @Test
  void emptyLogHasNoError() {
    assertThat(lastError("")).isEmpty();
    assertThat(lastError(INFO + INFO)).isEmpty();
  }

  @Test
  void lastErrorLineWinsEvenWhenOlderThanLaterLines() {
    assertThat(lastError(NOSUCHBINARY + CHDIR + INFO)).isEqualTo("exec failed: unable to start container process:"
        + " chdir to cwd (\"/nosuchdir\") set in config.json failed: no such file or directory");
    assertThat(lastError(CHDIR + NOSUCHBINARY)).isEqualTo("exec failed: unable to start container process: exec:"
        + " \"nosuchbinary\": executable file not found in $PATH");
  }

  @Test
  void truncatedLastLineIsUnexpectedEof() {
    assertLogFails(NOSUCHBINARY + NOSUCHBINARY + TRUNCATED, "unexpected EOF");
  }

  @Test
  void lineAppendedToTruncatedLineIsInvalidCharacterAfterKeyValuePair() {
    assertLogFails(NOSUCHBINARY + TRUNCATED + NOSUCHBINARY,
        "invalid character 'l' after object key:value pair");
    assertLogFails(NOSUCHBINARY + TRUNCATED + NOSUCHBINARY + INFO + NOSUCHBINARY,
        "invalid character 'l' after object key:value pair");
  }

  @Test
  void lineWithoutLevelKeepsPreviousLevel() {
    String log = "{\"level\":\"error\",\"msg\":\"first\"}\n{\"msg\":\"second\"}\n";

    assertThat(lastError(log)).isEqualTo("second");
  }

  @Test
  void messageIsTrimmedAsGoTrimSpaceDoes() {
    assertThat(lastError("{\"level\":\"error\",\"msg\":\" \\t boom\\n\\u00a0\\u3000\"}")).isEqualTo("boom");
    assertThat(lastError("{\"level\":\"error\",\"msg\":\"\\u001fboom\"}")).isEqualTo("\u001fboom");
  }

  @Test
  void keysMatchGoFieldNamesCaseInsensitively() {
    assertThat(lastError("{\"LEVEL\":\"error\",\"Msg\":\"x\",\"tImE\":null}")).isEqualTo("x");
  }

  @Test
  void wrongKindStopsTheLoopWithTypeError() {
    assertLogFails(INFO + "{\"level\":5}", "json: cannot unmarshal number into Go struct field .Level of type string");
    assertLogFails("[]", "json: cannot unmarshal array into Go value of type struct { Level string; Msg string;"
        + " Time time.Time }");
  }

  @Test
  void malformedTimeStopsTheLoopWithParseError() {
    assertLogFails("{\"level\":\"error\",\"time\":\"yesterday\"}",
        "parsing time \"\\\"yesterday\\\"\" as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"yesterday\\\"\""
            + " as \"2006\"");
  }

  @Test
  void entryCarriesDecodedTime() {
    GoJsonDecoder decoder = GoJsonDecoder.of(bytes(CHDIR + "{\"msg\":\"again\"}"));

    LogEntry first = GoStructDecoder.decodeLogEntry(decoder, LogEntry.ZERO);
    LogEntry second = GoStructDecoder.decodeLogEntry(decoder, first);

    assertThat(first.time()).isEqualTo(Instant.parse("2026-12-03T12:43:53Z"));
    assertThat(second).isEqualTo(new LogEntry("error", "again", first.time()));
    assertThatExceptionOfType(GoError.class)
        .isThrownBy(() -> GoStructDecoder.decodeLogEntry(decoder, second)).withMessage("EOF");
  }

  @Test
  void zeroEntryHasGoZeroTime() {
    assertThat(LogEntry.ZERO.time()).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
  }

  private static String lastError(String log) {
    return GoStructDecoder.lastErrorMessage(bytes(log));
  }

  private static void assertLogFails(String log, String text) {
    assertThatExceptionOfType(GoError.class).isThrownBy(() -> lastError(log)).withMessage(text);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
