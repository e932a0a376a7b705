package io.execsim.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a scenario writes as {@code ${NAME}} for the paths each side chooses, and their replacement in both
 * directions: into a command before it runs, and out of what it printed before the sides are compared.
 */
public final class Variables {
  /** The names every side defines. */
  public static final List<String> NAMES = List.of(
      // a busybox root file system for ctr run --rootfs, with /bin/noexec.sh of mode 0644
      "ROOTFS",
      // an OCI bundle for runc run or create: the process is sleep 3600 without a terminal
      "BUNDLE",
      // the directory holding the scenario's files
      "FILES",
      // the shim's TMPDIR, where go-runc writes runc-process files: a tmpfs of 64 KiB and 64 inodes
      "SHIMTMP",
      // containerd's state directory, holding the task bundles: a tmpfs of 1 MiB
      "STATE",
      // a spare tmpfs of 64 KiB and 64 inodes
      "SCRATCH",
      // containerd's gRPC socket
      "SOCKET",
      // a runc that waits 5 s before each exec, for ctr run --runc-binary
      "SLOWRUNC");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z_]+)}");

  private final Map<String, String> values;

  private Variables(Map<String, String> values) {
    this.values = values;
  }

  /** A side's values; every name must have one. */
  public static Variables of(Map<String, String> values) {
    for (String n : NAMES) {
      String v = values.get(n);
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException("variable has no value: " + n);
      }
    }
    return new Variables(Map.copyOf(values));
  }

  /** No values: for a record of a scenario that failed before its variables were known. */
  static Variables none() {
    return new Variables(Map.of());
  }

  /** The values by name. */
  public Map<String, String> values() {
    return values;
  }

  /** {@code text} with each {@code ${NAME}} replaced by its value. */
  public String expand(String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code text} with each value written back as {@code ${NAME}}, longest value first. */
  public String abstractOut(String text) {
    List<Map.Entry<String, String>> byLength = new ArrayList<>(values.entrySet());
    byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
    String out = text;
    for (Map.Entry<String, String> e : byLength) {
      out = out.replace(e.getValue(), "${" + e.getKey() + "}");
    }
    return out;
  }

  /** Checks that {@code text} names only known variables. */
  static void check(String text) {
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown variable (one of " + NAMES + "): ${" + m.group(1) + "}");
      }
    }
  }
}
