package io.execsim.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execsim.core.oci.ProcessSpec;
import java.nio.charset.StandardCharsets;

/** The process spec as go-runc writes it: Go's {@code json.Encoder} output, HTML-escaped, with a final newline. */
final class SpecJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.getFactory().setCharacterEscapes(new GoEscapes());
  }

  private SpecJson() {
  }

  static byte[] encode(ProcessSpec spec) {
    try {
      return (MAPPER.writeValueAsString(spec) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a process spec must serialize", e);
    }
  }

  /** Go escapes {@code <}, {@code >}, {@code &} and control characters as lower-case {@code \\u00xx}. */
  private static final class GoEscapes extends CharacterEscapes {
    private final int[] table = CharacterEscapes.standardAsciiEscapesForJSON();

    GoEscapes() {
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') {
          table[c] = ESCAPE_CUSTOM;
        }
      }
      table['<'] = ESCAPE_CUSTOM;
      table['>'] = ESCAPE_CUSTOM;
      table['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch));
    }
  }
}
