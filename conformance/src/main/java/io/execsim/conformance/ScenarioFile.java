package io.execsim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the scenario table: a YAML document with a list {@code scenarios}, each with {@code name}, {@code about},
 * optional {@code files} (name to content) and {@code steps}. A step is one of {@code ctr: <args>},
 * {@code runc: <args>} or {@code do: <action>}; a command step may add {@code env}, {@code limit} and
 * {@code during}, a list of steps each with {@code after: <duration>}. Every mistake is reported with where it is.
 */
public final class ScenarioFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> SCENARIO_KEYS = Set.of("name", "about", "files", "steps");
  private static final Set<String> STEP_KEYS = Set.of("ctr", "runc", "do", "env", "limit", "during", "after");

  private ScenarioFile() {
  }

  /** The scenarios of the file at {@code path}. */
  public static List<Scenario> read(Path path) {
    try {
      return parse(YAML.readTree(path.toFile()), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario file " + path, e);
    }
  }

  /** The scenarios of {@code yaml}. */
  public static List<Scenario> parse(String yaml) {
    try {
      return parse(YAML.readTree(yaml), "scenarios");
    } catch (IOException e) {
      throw new UncheckedIOException("scenario text is not YAML", e);
    }
  }

  private static List<Scenario> parse(JsonNode root, String where) {
    JsonNode list = root == null ? null : root.get("scenarios");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(where + ": a list 'scenarios' is required");
    }
    List<Scenario> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode n : list) {
      String name = text(n, "name", where + ": scenario " + (out.size() + 1));
      String at = where + ": scenario " + name;
      try {
        keys(n, SCENARIO_KEYS, at);
        if (!names.add(name)) {
          throw new IllegalArgumentException("name is used twice");
        }
        JsonNode steps = n.get("steps");
        if (steps == null || !steps.isArray()) {
          throw new IllegalArgumentException("a list 'steps' is required");
        }
        List<Step> parsed = new ArrayList<>();
        for (JsonNode s : steps) {
          parsed.add(step(s, at + ", step " + (parsed.size() + 1), false));
        }
        out.add(new Scenario(name, text(n, "about", at), strings(n.get("files"), at + ", files"), parsed));
      } catch (IllegalArgumentException e) {
        throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Step step(JsonNode n, String at, boolean event) {
    try {
      keys(n, STEP_KEYS, at);
      List<String> kinds = new ArrayList<>();
      for (String k : List.of("ctr", "runc", "do")) {
        if (n.has(k)) {
          kinds.add(k);
        }
      }
      if (kinds.size() != 1) {
        throw new IllegalArgumentException("a step is exactly one of ctr, runc or do: " + kinds);
      }
      String key = kinds.get(0);
      String text = text(n, key, at);
      Step.Kind kind = Step.Kind.valueOf(key.toUpperCase(java.util.Locale.ROOT));
      if (n.has("after") != event) {
        throw new IllegalArgumentException(event ? "an event needs 'after'" : "only an event has 'after'");
      }
      Duration after = event ? Durations.parse(text(n, "after", at)) : Duration.ZERO;
      Duration limit = n.has("limit") ? Durations.parse(text(n, "limit", at)) : Step.DEFAULT_LIMIT;
      List<Step> during = new ArrayList<>();
      JsonNode events = n.get("during");
      if (events != null) {
        if (!events.isArray()) {
          throw new IllegalArgumentException("'during' must be a list");
        }
        for (JsonNode e : events) {
          during.add(step(e, at + ", event " + (during.size() + 1), true));
        }
      }
      return new Step(kind, text, ShellWords.split(text), strings(n.get("env"), at + ", env"), after, during,
          limit);
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(at) ? e : new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static void keys(JsonNode n, Set<String> allowed, String at) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(at + ": must be a mapping");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(at + ": unknown key (one of " + new java.util.TreeSet<>(allowed) + "): "
            + k);
      }
    }
  }

  private static String text(JsonNode n, String key, String at) {
    JsonNode v = n.get(key);
    if (v == null || !v.isValueNode() || v.asText().isBlank()) {
      throw new IllegalArgumentException(at + ": '" + key + "' must be a non-empty text");
    }
    return v.asText();
  }

  private static Map<String, String> strings(JsonNode n, String at) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(at + ": must be a mapping of names to texts");
    }
    n.fields().forEachRemaining(e -> {
      if (!e.getValue().isValueNode()) {
        throw new IllegalArgumentException(at + ": value of " + e.getKey() + " must be a text");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }
}
