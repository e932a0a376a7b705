package io.execsim.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.execsim.core.error.GoError;
import io.execsim.core.oci.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProcessDecodingTest {
  private static final ProcessSpec ZERO = new ProcessSpec(false, null, new ProcessSpec.User(0, 0), List.of(),
      List.of(), "", null, List.of(), false);

  @Test
  void validProcessFileOfRuncTableDecodes() {
    String file = "{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},"
        + "\"args\":[\"sh\",\"-c\",\"echo from-process-json; id\"],"
        + "\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"cwd\":\"/\"}";

    assertThat(decode(file)).isEqualTo(ProcessSpec.of(List.of("sh", "-c", "echo from-process-json; id"),
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")));
  }

  static Stream<Arguments> runcTable() {
    return Stream.of(
        Arguments.of("", "EOF"),
        Arguments.of("{\"terminal\":false,\"args\":[\"echo\",\"hi\"", "unexpected EOF"),
        Arguments.of("this is not json", "invalid character 'h' in literal true (expecting 'r')"),
        Arguments.of("{\"args\":\"echo hi\",\"cwd\":\"/\"}",
            "json: cannot unmarshal string into Go struct field Process.args of type []string"));
  }

  @ParameterizedTest
  @MethodSource("runcTable")
  void badProcessFilesFailWithRuncTexts(String file, String text) {
    assertFails(file, text);
  }

  static Stream<Arguments> typeErrors() {
    return Stream.of(
        Arguments.of("{\"user\":{\"uid\":-1}}",
            "json: cannot unmarshal number -1 into Go struct field User.user.uid of type uint32"),
        Arguments.of("{\"user\":{\"gid\":4294967296}}",
            "json: cannot unmarshal number 4294967296 into Go struct field User.user.gid of type uint32"),
        Arguments.of("{\"user\":{\"uid\":1.0}}",
            "json: cannot unmarshal number 1.0 into Go struct field User.user.uid of type uint32"),
        Arguments.of("{\"user\":{\"additionalGids\":[1,\"2\"]}}",
            "json: cannot unmarshal string into Go struct field User.user.additionalGids of type uint32"),
        Arguments.of("{\"user\":\"root\"}",
            "json: cannot unmarshal string into Go struct field Process.user of type specs.User"),
        Arguments.of("{\"consoleSize\":{\"height\":\"24\"}}",
            "json: cannot unmarshal string into Go struct field Box.consoleSize.height of type uint"),
        Arguments.of("{\"consoleSize\":[24,80]}",
            "json: cannot unmarshal array into Go struct field Process.consoleSize of type specs.Box"),
        Arguments.of("{\"capabilities\":{\"bounding\":\"CAP_KILL\"}}",
            "json: cannot unmarshal string into Go struct field LinuxCapabilities.capabilities.bounding of type"
                + " []string"),
        Arguments.of("{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":-1}]}",
            "json: cannot unmarshal number -1 into Go struct field POSIXRlimit.rlimits.hard of type uint64"),
        Arguments.of("{\"rlimits\":{}}",
            "json: cannot unmarshal object into Go struct field Process.rlimits of type []specs.POSIXRlimit"),
        Arguments.of("{\"args\":[\"echo\",1]}",
            "json: cannot unmarshal number into Go struct field Process.args of type string"),
        Arguments.of("{\"terminal\":\"yes\"}",
            "json: cannot unmarshal string into Go struct field Process.terminal of type bool"),
        Arguments.of("{\"cwd\":true}", "json: cannot unmarshal bool into Go struct field Process.cwd of type string"),
        Arguments.of("{\"oomScoreAdj\":1.5}",
            "json: cannot unmarshal number 1.5 into Go struct field Process.oomScoreAdj of type int"),
        Arguments.of("{\"args\":\"x\",\"cwd\":5}",
            "json: cannot unmarshal string into Go struct field Process.args of type []string"),
        Arguments.of("[1]", "json: cannot unmarshal array into Go value of type specs.Process"),
        Arguments.of("\"x\"", "json: cannot unmarshal string into Go value of type specs.Process"),
        Arguments.of("7", "json: cannot unmarshal number into Go value of type specs.Process"));
  }

  @ParameterizedTest
  @MethodSource("typeErrors")
  void wrongKindsFailWithUnmarshalTypeErrorTexts(String file, String text) {
    assertFails(file, text);
  }

  @Test
  void syntaxErrorAfterTypeErrorWins() {
    assertFails("{\"args\":\"x\",\"cwd\":}", "invalid character '}' looking for beginning of value");
  }

  @Test
  void missingKeysAndNullsGiveZeroValues() {
    assertThat(decode("{}")).isEqualTo(ZERO);
    assertThat(decode("null")).isEqualTo(ZERO);
    assertThat(decode("{\"args\":null,\"user\":null,\"cwd\":null,\"consoleSize\":null,\"terminal\":null}"))
        .isEqualTo(ZERO);
  }

  @Test
  void keysMatchCaseInsensitivelyAndUnknownKeysAreSkipped() {
    String file = "{\"ARGS\":[\"a\"],\"Cwd\":\"/x\",\"unknown\":{\"deep\":[1,{\"z\":null}]},\"USER\":{\"UID\":7}}";

    ProcessSpec spec = decode(file);

    assertThat(spec.args()).containsExactly("a");
    assertThat(spec.cwd()).isEqualTo("/x");
    assertThat(spec.user().uid()).isEqualTo(7);
  }

  @Test
  void longSAndKelvinSignFoldToAsciiLetters() {
    assertThat(decode("{\"arg\\u017f\":[\"a\"]}").args()).containsExactly("a");
    assertFails("{\"user\":{\"umas\\u212a\":\"x\"}}",
        "json: cannot unmarshal string into Go struct field User.user.umask of type uint32");
  }

  @Test
  void exactKeyIsPreferredOverFoldedOne() {
    GoType.Struct struct = GoType.Struct.of("", "", new GoType.Field("name", GoType.Kind.STRING),
        new GoType.Field("Name", GoType.Kind.STRING));

    assertThat(struct.indexOf("Name")).isEqualTo(1);
    assertThat(struct.indexOf("NAME")).isEqualTo(0);
    assertThat(struct.indexOf("nam")).isEqualTo(-1);
  }

  @Test
  void laterDuplicateKeyWins() {
    assertThat(decode("{\"cwd\":\"/a\",\"cwd\":\"/b\"}").cwd()).isEqualTo("/b");
  }

  @Test
  void anythingAfterFirstValueIsIgnored() {
    assertThat(decode("{\"cwd\":\"/\"} not json").cwd()).isEqualTo("/");
  }

  @Test
  void unlimitedRlimitKeepsItsBitsInLong() {
    ProcessSpec spec = decode("{\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":0}]}");

    assertThat(spec.rlimits()).containsExactly(new ProcessSpec.Rlimit("RLIMIT_CORE", -1, 0));
  }

  @Test
  void specWrittenByJacksonDecodesToEqualSpec() throws Exception {
    ProcessSpec spec = new ProcessSpec(true, new ProcessSpec.Box(24, 80), new ProcessSpec.User(1000, 100,
        List.of(10L, 4294967295L)), List.of("sh", "-c", "echo \"é\" \\ 😀\n"), List.of("PATH=/bin", "A=b"), "/work",
        new ProcessSpec.Capabilities(List.of("CAP_KILL"), List.of(), List.of("CAP_CHOWN"), List.of(), List.of()),
        List.of(new ProcessSpec.Rlimit("RLIMIT_NOFILE", 1024, 512)), true);

    byte[] json = new ObjectMapper().writeValueAsBytes(spec);

    assertThat(GoStructDecoder.decodeProcess(json)).isEqualTo(spec);
    assertThat(GoStructDecoder.decodeProcess(new ObjectMapper().writeValueAsBytes(ZERO))).isEqualTo(ZERO);
  }

  private static ProcessSpec decode(String file) {
    return GoStructDecoder.decodeProcess(file.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertFails(String file, String text) {
    assertThatExceptionOfType(GoError.class).isThrownBy(() -> decode(file)).withMessage(text);
  }
}
