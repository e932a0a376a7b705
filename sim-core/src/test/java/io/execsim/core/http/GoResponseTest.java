package io.execsim.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GoResponseTest {
  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static String wire(GoResponse r, boolean closing) {
    ByteBuf buf = r.encode(UnpooledByteBufAllocator.DEFAULT, NOW, closing);
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @Test
  void httpErrorPutsHandlerHeadersBeforeDateAndLength() {
    assertThat(wire(GoResponse.httpError(500, "error dialing backend: EOF"), false)).isEqualTo(
        "HTTP/1.1 500 Internal Server Error\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
            + "Content-Length: 27\r\n"
            + "\r\n"
            + "error dialing backend: EOF\n");
  }

  @Test
  void writtenTextGetsASniffedContentTypeAfterTheLength() {
    assertThat(wire(GoResponse.text(401, "Unauthorized"), false)).isEqualTo(
        "HTTP/1.1 401 Unauthorized\r\n"
            + "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
            + "Content-Length: 12\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "Unauthorized");
  }

  @Test
  void closingAddsConnectionClose() {
    assertThat(wire(GoResponse.json(200, "{}"), true)).contains("Content-Length: 2\r\nConnection: close\r\n\r\n{}");
  }

  @Test
  void apiStatusEndsWithANewlineAndRetryAfter() {
    ApiStatus s = new ApiStatus("Failure", "slow down", "TooManyRequests",
        Optional.of(new ApiStatus.Details("", "", "", List.of(), 1)), 429);

    String w = wire(GoResponse.apiStatus(s), false);

    assertThat(w).startsWith("HTTP/1.1 429 Too Many Requests\r\nCache-Control: no-cache, private\r\n"
        + "Content-Type: application/json\r\nRetry-After: 1\r\n");
    assertThat(w).endsWith("\"code\":429}\n");
  }
}
