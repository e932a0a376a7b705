package io.execsim.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one side recorded, kept as JSON so the real side's run can be looked at and compared later.
 *
 * @param side {@code real} or {@code execsim}
 * @param versions what the side is, e.g. the versions of containerd and runc
 * @param scenarios one record per scenario, in the order of the scenario file
 */
public record Recording(String side, Map<String, String> versions, List<ScenarioRecord> scenarios) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the parts. */
  public Recording {
    versions = Map.copyOf(versions);
    scenarios = List.copyOf(scenarios);
  }

  /** Writes the recording to {@code file} as JSON. */
  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recording " + file, e);
    }
  }

  /** Reads a recording that {@link #write} wrote. */
  public static Recording read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Recording.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read recording " + file, e);
    }
  }
}
