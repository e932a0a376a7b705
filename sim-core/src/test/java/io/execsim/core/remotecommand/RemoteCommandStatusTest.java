package io.execsim.core.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.GoError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteCommandStatusTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String json(RemoteCommandStatus s) {
    return new String(s.toJson(), StandardCharsets.UTF_8);
  }

  private static String v4Error(String errorStream) {
    return RemoteCommandStatus.decodeErrorStream(StreamProtocol.V4, bytes(errorStream)).map(GoError::text)
        .orElse("<success>");
  }

  @Test
  void successIsWrittenAsGoMarshalsIt() {
    assertThat(json(RemoteCommandStatus.success())).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
  }

  @Test
  void nonZeroExitCodeIsWrittenAsGoMarshalsIt() {
    RemoteCommandStatus s = RemoteCommandStatus.nonZeroExitCode(3,
        "error executing command [sh -c exit 3], exit code 3");

    assertThat(json(s)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with "
        + "non-zero exit code: error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
  }

  @Test
  void internalErrorIsWrittenAsGoMarshalsIt() {
    RemoteCommandStatus s = RemoteCommandStatus.internalError("error executing command in container: boom");

    assertThat(json(s)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: "
        + "error executing command in container: boom\",\"reason\":\"InternalError\",\"details\":{\"causes\":"
        + "[{\"message\":\"error executing command in container: boom\"}]},\"code\":500}");
  }

  @Test
  void typeMetaComesFirstAndTextIsEscapedAsGoEscapesIt() {
    RemoteCommandStatus s = new RemoteCommandStatus("Status", "v1", "Failure", "a <b> & \"c\"\n\u0001\t\b",
        "Forbidden", Optional.of(new RemoteCommandStatus.Details("p", "", "pods", "", List.of(), 0)), 403);

    assertThat(json(s)).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"a \\u003cb\\u003e \\u0026 \\\"c\\\"\\n\\u0001\\t\\b\",\"reason\":\"Forbidden\","
        + "\"details\":{\"name\":\"p\",\"kind\":\"pods\"},\"code\":403}");
  }

  @Test
  void emptyErrorStreamIsSuccessInEveryVersion() {
    for (String protocol : List.of(StreamProtocol.V5, StreamProtocol.V4, StreamProtocol.V3, StreamProtocol.V2,
        StreamProtocol.V1, "")) {
      assertThat(RemoteCommandStatus.decodeErrorStream(protocol, new byte[0])).as(protocol).isEmpty();
    }
  }

  @Test
  void writtenStatusesDecodeBackToWhatTheyMean() {
    assertThat(RemoteCommandStatus.decodeErrorStream(StreamProtocol.V4, RemoteCommandStatus.success().toJson()))
        .isEmpty();
    Optional<GoError> exit = RemoteCommandStatus.decodeErrorStream(StreamProtocol.V5,
        RemoteCommandStatus.nonZeroExitCode(3, "error executing command [sh -c exit 3], exit code 3").toJson());
    assertThat(exit).get().isInstanceOfSatisfying(ExitCodeError.class, e -> {
      assertThat(e.code()).isEqualTo(3);
      assertThat(e.text()).isEqualTo("command terminated with exit code 3");
    });
    assertThat(v4Error(new String(RemoteCommandStatus.internalError("error executing command in container: boom")
        .toJson(), StandardCharsets.UTF_8)))
        .isEqualTo("Internal error occurred: error executing command in container: boom");
  }

  @Test
  void malformedNonZeroExitCodeStatusesAreProtocolErrors() {
    String head = "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\"";

    assertThat(v4Error(head + "}")).isEqualTo("error stream protocol error: details must be set");
    assertThat(v4Error(head + ",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"256\"}]}}"))
        .isEqualTo("error stream protocol error: invalid exit code value \"256\"");
    assertThat(v4Error(head + ",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"-1\"}]}}"))
        .isEqualTo("error stream protocol error: invalid exit code value \"-1\"");
    assertThat(v4Error(head + ",\"details\":{\"causes\":[{\"reason\":\"Other\",\"message\":\"1\"}]}}"))
        .isEqualTo("error stream protocol error: no ExitCode cause given");
    assertThat(v4Error(head + ",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"007\"}]}}"))
        .isEqualTo("command terminated with exit code 7");
  }

  @Test
  void unknownStatusAndBadJsonAreProtocolErrors() {
    assertThat(v4Error("{\"status\":\"Maybe\"}")).isEqualTo("error stream protocol error: unknown error");
    assertThat(v4Error("error: boom")).isEqualTo("error stream protocol error: invalid character 'e' looking for "
        + "beginning of value in \"error: boom\"");
    assertThat(v4Error("{\"status\":")).isEqualTo("error stream protocol error: unexpected end of JSON input in "
        + "\"{\\\"status\\\":\"");
    assertThat(v4Error("{\"status\":\"Success\"} x")).isEqualTo("error stream protocol error: invalid character "
        + "'x' after top-level value in \"{\\\"status\\\":\\\"Success\\\"} x\"");
    assertThat(v4Error("{\"status\":3}")).isEqualTo("error stream protocol error: json: cannot unmarshal number "
        + "into Go struct field Status.status of type string in \"{\\\"status\\\":3}\"");
    assertThat(v4Error("{\"details\":{\"causes\":[{\"reason\":true}]}}")).startsWith("error stream protocol error: "
        + "json: cannot unmarshal bool into Go struct field StatusCause.details.causes.reason of type v1.CauseType");
  }

  @Test
  void errorStreamKeysMatchWhateverTheirCase() {
    assertThat(v4Error("{\"STATUS\":\"Success\"}")).isEqualTo("<success>");
  }

  @Test
  void olderVersionsReadTheErrorStreamAsText() {
    assertThat(RemoteCommandStatus.decodeErrorStream(StreamProtocol.V3, bytes("boom")).orElseThrow().text())
        .isEqualTo("error executing remote command: boom");
    assertThat(RemoteCommandStatus.decodeErrorStream(StreamProtocol.V2, bytes("boom")).orElseThrow().text())
        .isEqualTo("error executing remote command: boom");
    assertThat(RemoteCommandStatus.decodeErrorStream(StreamProtocol.V1, bytes("boom")).orElseThrow().text())
        .isEqualTo("Error executing remote command: boom");
  }

  @Test
  void upgradeResponseWithAStatusBodyIsAStatus() {
    String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + "\"pods \\\"p\\\" is forbidden\",\"reason\":\"Forbidden\",\"code\":403}\n";

    RemoteCommandStatus s = RemoteCommandStatus.fromUpgradeResponse(bytes(body)).orElseThrow();

    assertThat(s.message()).isEqualTo("pods \"p\" is forbidden");
    assertThat(s.reason()).isEqualTo("Forbidden");
    assertThat(s.code()).isEqualTo(403);
  }

  @Test
  void upgradeResponseBodiesThatAreNoStatus() {
    assertThat(RemoteCommandStatus.fromUpgradeResponse(bytes("404 page not found\n"))).isEmpty();
    assertThat(RemoteCommandStatus.fromUpgradeResponse(bytes("{\"kind\":\"Pod\"}"))).isEmpty();
    assertThat(RemoteCommandStatus.fromUpgradeResponse(bytes("{\"code\":\"x\"}"))).isEmpty();
    assertThat(RemoteCommandStatus.fromUpgradeResponse(bytes("{broken"))).isEmpty();
    assertThat(RemoteCommandStatus.fromUpgradeResponse(bytes("a: b: c"))).isEmpty();
  }

  @Test
  void emptyOrYamlMappingUpgradeBodyIsAnEmptyStatus() {
    assertThat(RemoteCommandStatus.fromUpgradeResponse(new byte[0])).get()
        .extracting(RemoteCommandStatus::message, RemoteCommandStatus::reason).containsExactly("", "");
    assertThat(RemoteCommandStatus.fromUpgradeResponse(
        bytes("unable to upgrade: X-Stream-Protocol-Version is required\n"))).get()
        .extracting(RemoteCommandStatus::message).isEqualTo("");
  }

  @Test
  void upgradeResponseKeysMatchOnlyInTheirOwnCase() {
    RemoteCommandStatus s = RemoteCommandStatus.fromUpgradeResponse(bytes("{\"Message\":\"x\",\"message\":\"y\"}"))
        .orElseThrow();

    assertThat(s.message()).isEqualTo("y");
  }
}
