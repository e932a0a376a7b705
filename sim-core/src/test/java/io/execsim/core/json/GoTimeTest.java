package io.execsim.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.execsim.core.error.GoError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTimeTest {
  private static final String AS_LAYOUT = " as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse ";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"2026-12-03T12:43:34Z\"                 | 2026-12-03T12:43:34Z",
      "\"2026-12-03T12:43:34.123456789+01:30\"  | 2026-12-03T11:13:34.123456789Z",
      "\"2026-12-03T12:43:34,5-02:00\"          | 2026-12-03T14:43:34.500Z",
      "\"2026-12-03T12:43:34.1234567891Z\"      | 2026-12-03T12:43:34.123456789Z",
      "\"2026-12-03T2:43:34Z\"                  | 2026-12-03T02:43:34Z",
      "\"2024-02-29T00:00:00Z\"                 | 2024-02-29T00:00:00Z"})
  void rfc3339TimesParse(String json, String instant) {
    assertThat(parse(json)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "5                              | parsing time \"5\"" + AS_LAYOUT + "\"5\" as \"\\\"\"",
      "\"2026-12-03\"                 | parsing time \"\\\"2026-12-03\\\"\"" + AS_LAYOUT + "\"\\\"\" as \"T\"",
      "\"26-12-03T12:43:34Z\"         | parsing time \"\\\"26-12-03T12:43:34Z\\\"\"" + AS_LAYOUT
          + "\"26-12-03T12:43:34Z\\\"\" as \"2006\"",
      "\"2026-1-03T12:43:34Z\"        | parsing time \"\\\"2026-1-03T12:43:34Z\\\"\"" + AS_LAYOUT
          + "\"1-03T12:43:34Z\\\"\" as \"01\"",
      "\"2026-12-03T12:43:34+0100\"   | parsing time \"\\\"2026-12-03T12:43:34+0100\\\"\"" + AS_LAYOUT
          + "\"+0100\\\"\" as \"Z07:00\"",
      "\"2026-12-03T12:43:34\"        | parsing time \"\\\"2026-12-03T12:43:34\\\"\"" + AS_LAYOUT
          + "\"\\\"\" as \"Z07:00\"",
      "\"2026-13-03T12:43:34Z\"       | parsing time \"\\\"2026-13-03T12:43:34Z\\\"\": month out of range",
      "\"2026-12-03T24:00:00Z\"       | parsing time \"\\\"2026-12-03T24:00:00Z\\\"\": hour out of range",
      "\"2026-12-03T12:60:00Z\"       | parsing time \"\\\"2026-12-03T12:60:00Z\\\"\": minute out of range",
      "\"2026-12-03T12:43:60Z\"       | parsing time \"\\\"2026-12-03T12:43:60Z\\\"\": second out of range",
      "\"2026-02-29T12:43:34Z\"       | parsing time \"\\\"2026-02-29T12:43:34Z\\\"\": day out of range",
      "\"2026-12-00T12:43:34Z\"       | parsing time \"\\\"2026-12-00T12:43:34Z\\\"\": day out of range",
      "\"2026-12-03T12:43:34Zé\"      | parsing time \"\\\"2026-12-03T12:43:34Z\\xc3\\xa9\\\"\"" + AS_LAYOUT
          + "\"\\xc3\\xa9\\\"\" as \"\\\"\""})
  void malformedTimesFailWithGoParseErrors(String json, String text) {
    assertThatExceptionOfType(GoError.class).isThrownBy(() -> parse(json)).withMessage(text);
  }

  private static Instant parse(String json) {
    return GoTime.parseJson(json.getBytes(StandardCharsets.UTF_8));
  }
}
