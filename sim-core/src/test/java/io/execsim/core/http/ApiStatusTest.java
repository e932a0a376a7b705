package io.execsim.core.http;

import io.execsim.core.json.GoJsonEncoder;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.error.GoError;
import io.execsim.core.remotecommand.StatusError;
import org.junit.jupiter.api.Test;

class ApiStatusTest {

  @Test
  void notFoundNamesTheObjectInMessageAndDetails() {
    assertThat(ApiStatus.notFound("pods", "web-0").toJson()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"web-0\\\" not found\",\"reason\":\"NotFound\","
        + "\"details\":{\"name\":\"web-0\",\"kind\":\"pods\"},\"code\":404}");
  }

  @Test
  void plainErrorBecomesInternalServerErrorWithoutReason() {
    ApiStatus s = ApiStatus.of(GoError.of("error dialing backend: dial tcp n1:10250: connect: connection refused"));

    assertThat(s.toJson()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"error dialing backend: dial tcp n1:10250: connect:"
        + " connection refused\",\"code\":500}");
  }

  @Test
  void statusErrorKeepsReasonAndCode() {
    ApiStatus s = ApiStatus.of(StatusError.of("Upgrade request required", "BadRequest", 400));

    assertThat(s.toJson()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"Upgrade request required\",\"reason\":\"BadRequest\",\"code\":400}");
  }

  @Test
  void internalErrorRepeatsTheErrorAsCause() {
    assertThat(ApiStatus.internalError("boom <x>").toJson()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: boom \\u003cx\\u003e\","
        + "\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":\"boom \\u003cx\\u003e\"}]},"
        + "\"code\":500}");
  }

  @Test
  void forbiddenCarriesTheAuthorizerText() {
    ApiStatus s = ApiStatus.forbidden("pods", "p", "User \"u\" cannot create resource \"pods/exec\" in API group \"\""
        + " in the namespace \"ns\"");

    assertThat(s.message()).isEqualTo("pods \"p\" is forbidden: User \"u\" cannot create resource \"pods/exec\" in"
        + " API group \"\" in the namespace \"ns\"");
    assertThat(s.code()).isEqualTo(403);
  }

  @Test
  void methodNotAllowedHasEmptyDetails() {
    assertThat(ApiStatus.methodNotAllowed().toJson()).contains("\"details\":{},\"code\":405");
  }

  @Test
  void marshalIndentLaysOutLikeGo() {
    var node = ApiStatus.badRequest("x").toJsonNode();

    assertThat(GoJsonEncoder.marshalIndent(node)).isEqualTo("{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n"
        + "  \"metadata\": {},\n  \"status\": \"Failure\",\n  \"message\": \"x\",\n  \"reason\": \"BadRequest\",\n"
        + "  \"code\": 400\n}");
  }

  @Test
  void controlCharactersAreEscapedInLowerCaseHex() {
    assertThat(GoJsonEncoder.quote("a\u0001\n\"&")).isEqualTo("\"a\\u0001\\n\\\"\\u0026\"");
  }
}
