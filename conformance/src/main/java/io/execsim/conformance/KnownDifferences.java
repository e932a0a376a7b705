package io.execsim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The differences between execsim and the real runtime that are known and explained: a YAML list whose entries name
 * a {@code scenario}, optionally a {@code step} (its number in the recording, from 1) and a {@code field}
 * ({@code stdout}, {@code stderr}, {@code exit}, {@code steps}, {@code leftovers}, {@code error}), and say
 * {@code why}.
 *
 * @param entries the known differences, in the file's order
 */
public record KnownDifferences(List<Entry> entries) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** The fields a difference can be in. */
  public static final Set<String> FIELDS = Set.of("stdout", "stderr", "exit", "steps", "leftovers", "error");

  /**
   * One known difference.
   *
   * @param scenario the scenario's name
   * @param step the result's number in the recording, from 1; absent for any
   * @param field the field; absent for any
   * @param why why execsim differs
   */
  public record Entry(String scenario, Optional<Integer> step, Optional<String> field, String why) {

    /** Checks the parts. */
    public Entry {
      field.ifPresent(f -> {
        if (!FIELDS.contains(f)) {
          throw new IllegalArgumentException("unknown field (one of " + FIELDS + "): " + f);
        }
      });
      if (why.isBlank()) {
        throw new IllegalArgumentException("a known difference must say why: " + scenario);
      }
    }

    boolean covers(Difference d) {
      return scenario.equals(d.scenario()) && step.map(s -> s == d.step()).orElse(true)
          && field.map(f -> f.equals(d.field())).orElse(true);
    }
  }

  /** Copies the entries. */
  public KnownDifferences {
    entries = List.copyOf(entries);
  }

  /** The entry that covers {@code d}, if one does. */
  public Optional<Entry> covering(Difference d) {
    return entries.stream().filter(e -> e.covers(d)).findFirst();
  }

  /** Reads the file at {@code path}; a missing file has no entries. */
  public static KnownDifferences read(Path path) {
    if (!Files.exists(path)) {
      return new KnownDifferences(List.of());
    }
    try {
      return parse(YAML.readTree(path.toFile()), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read known differences " + path, e);
    }
  }

  /** The entries of {@code yaml}. */
  public static KnownDifferences parse(String yaml) {
    try {
      return parse(YAML.readTree(yaml), "known differences");
    } catch (IOException e) {
      throw new UncheckedIOException("known differences are not YAML", e);
    }
  }

  private static KnownDifferences parse(JsonNode root, String where) {
    List<Entry> out = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return new KnownDifferences(out);
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(where + ": must be a list");
    }
    for (JsonNode n : root) {
      String at = where + ": entry " + (out.size() + 1);
      if (!n.hasNonNull("scenario") || !n.hasNonNull("why")) {
        throw new IllegalArgumentException(at + ": 'scenario' and 'why' are required");
      }
      try {
        out.add(new Entry(n.get("scenario").asText(),
            n.hasNonNull("step") ? Optional.of(n.get("step").asInt()) : Optional.empty(),
            n.hasNonNull("field") ? Optional.of(n.get("field").asText()) : Optional.empty(),
            n.get("why").asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
    }
    return new KnownDifferences(out);
  }
}
