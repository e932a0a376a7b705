package io.execsim.conformance;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes what a side printed comparable: its own paths become {@code ${NAME}}, and only what is random by nature is
 * replaced by a placeholder: the digits of temp-file names, timestamps, and the numbers of ctr's FIFO directories.
 * Nothing else is touched, so every other difference shows.
 */
final class Normalizer {
  private record Rule(Pattern pattern, String replacement) {
  }

  private static final List<Rule> RULES = List.of(
      // Go's os.CreateTemp suffix: a random decimal number
      new Rule(Pattern.compile("runc-process[0-9]+"), "runc-process<N>"),
      new Rule(Pattern.compile("/pty[0-9]+/"), "/pty<N>/"),
      // logrus text and JSON timestamps
      new Rule(Pattern.compile("time=\"[^\"]*\""), "time=\"<T>\""),
      new Rule(Pattern.compile("\"time\":\"[^\"]*\""), "\"time\":\"<T>\""),
      // ctr's FIFO directories are named by a random number
      new Rule(Pattern.compile("/run/containerd/fifo/[0-9]+"), "/run/containerd/fifo/<N>"));

  private Normalizer() {
  }

  static String text(String raw, Variables vars) {
    String out = vars.abstractOut(raw);
    for (Rule r : RULES) {
      out = r.pattern.matcher(out).replaceAll(r.replacement);
    }
    return out;
  }
}
