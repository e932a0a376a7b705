package io.execsim.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoErrorTest {

  @Test
  void wrappingRendersAsGoPrintsIt() {
    GoError e = GoError.wrap("failed to exec in container",
        GoError.wrap("failed to start exec " + GoText.quote("abc"), GoError.of("OCI runtime exec failed: x")));

    assertThat(e.text()).isEqualTo("failed to exec in container: failed to start exec \"abc\": "
        + "OCI runtime exec failed: x");
  }

  @Test
  void unknownSuffixIsAppendedOnceHoweverManyHopsItCrosses() {
    RpcError fromShim = RpcError.toGrpc(GoError.of("OCI runtime exec failed: boom"));

    GoError once = fromShim.toNative();
    GoError twice = RpcError.toGrpc(once).toNative();

    assertThat(fromShim.text()).isEqualTo("rpc error: code = Unknown desc = OCI runtime exec failed: boom");
    assertThat(once.text()).isEqualTo("OCI runtime exec failed: boom: unknown");
    assertThat(twice.text()).isEqualTo("OCI runtime exec failed: boom: unknown");
  }

  @Test
  void errdefsClassSurvivesTheWire() {
    GoError e = GoError.of("id e8", Errdefs.ALREADY_EXISTS);

    RpcError wire = RpcError.toGrpc(e);
    GoError back = wire.toNative();

    assertThat(wire.code()).isEqualTo(RpcCode.ALREADY_EXISTS);
    assertThat(back.text()).isEqualTo("id e8: already exists");
    assertThat(back.is(Errdefs.ALREADY_EXISTS)).isTrue();
    assertThat(GoError.wrap("x", back).is(Errdefs.ALREADY_EXISTS)).isTrue();
  }

  @Test
  void formatsAsGoVerbsDo() {
    assertThat(GoText.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
    assertThat(GoText.slice(List.of("sh", "-c", "exit 3"))).isEqualTo("[sh -c exit 3]");
    assertThat(GoText.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoText.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoText.duration(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(GoText.duration(Duration.ofHours(4))).isEqualTo("4h0m0s");
  }
}
