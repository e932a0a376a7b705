package io.execsim.core.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link WireFrame}: its kind, channel and payload, with messages that show the frame. */
final class WireFrameAssert extends AbstractAssert<WireFrameAssert, WireFrame> {

  private WireFrameAssert(WireFrame actual) {
    super(actual, WireFrameAssert.class);
  }

  /** The entry point. */
  static WireFrameAssert assertThat(WireFrame actual) {
    return new WireFrameAssert(actual);
  }

  /** A binary message on {@code channel} carrying {@code data}. */
  WireFrameAssert isBinaryMessage(int channel, byte[] data) {
    isNotNull();
    byte[] expected = new byte[data.length + 1];
    expected[0] = (byte) channel;
    System.arraycopy(data, 0, expected, 1, data.length);
    if (actual.kind() != WireFrame.Kind.BINARY || !Arrays.equals(actual.payload(), expected)) {
      failWithMessage("Expecting frame to be BINARY%s but was %s", Arrays.toString(expected), actual);
    }
    return this;
  }

  /** A binary message on {@code channel} carrying {@code text}. */
  WireFrameAssert isBinaryMessage(int channel, String text) {
    return isBinaryMessage(channel, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A text frame reading {@code text}. */
  WireFrameAssert isText(String text) {
    isNotNull();
    if (actual.kind() != WireFrame.Kind.TEXT || !actual.text().equals(text)) {
      failWithMessage("Expecting frame to be TEXT %s but was %s", text, actual);
    }
    return this;
  }

  /** A close frame with {@code code}. */
  WireFrameAssert isClose(int code) {
    isNotNull();
    if (actual.kind() != WireFrame.Kind.CLOSE || actual.closeCode() != code) {
      failWithMessage("Expecting frame to be CLOSE(%s) but was %s", code, actual);
    }
    return this;
  }

  /** A frame of {@code kind}. */
  WireFrameAssert is(WireFrame.Kind kind) {
    isNotNull();
    if (actual.kind() != kind) {
      failWithMessage("Expecting frame to be %s but was %s", kind, actual);
    }
    return this;
  }
}
