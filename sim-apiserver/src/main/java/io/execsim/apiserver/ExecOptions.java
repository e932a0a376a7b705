package io.execsim.apiserver;

import io.execsim.core.http.Query;
import java.util.List;

/**
 * The options of a {@code pods/exec} request, as the apiserver decodes {@code PodExecOptions} from the query.
 *
 * @param container the container named with {@code container}; empty when none was
 * @param command the {@code command} values, in order
 * @param stdin whether {@code stdin} was asked
 * @param stdout whether {@code stdout} was asked
 * @param stderr whether {@code stderr} was asked
 * @param tty whether {@code tty} was asked
 */
public record ExecOptions(String container, List<String> command, boolean stdin, boolean stdout, boolean stderr,
    boolean tty) {

  /** Copies the command. */
  public ExecOptions {
    command = List.copyOf(command);
  }

  /**
   * Decodes the options from a query. A flag is true when present with any first value but {@code 0} and
   * {@code false} (any case), as the conversion of query parameters to {@code bool} reads it.
   */
  public static ExecOptions fromQuery(Query q) {
    return new ExecOptions(q.get("container"), q.all("command"), flag(q, "stdin"), flag(q, "stdout"),
        flag(q, "stderr"), flag(q, "tty"));
  }

  private static boolean flag(Query q, String key) {
    if (!q.has(key)) {
      return false;
    }
    String v = q.get(key);
    return !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  /**
   * The query of the kubelet URL, as {@code streamParams} builds it and {@code Values.Encode} writes it:
   * {@code command=..&error=1&input=1&output=1&tty=1}, keys sorted, false flags left out.
   */
  public Query kubeletQuery() {
    Query.Builder b = Query.builder();
    if (stdin) {
      b.add("input", "1");
    }
    if (stdout) {
      b.add("output", "1");
    }
    if (stderr) {
      b.add("error", "1");
    }
    if (tty) {
      b.add("tty", "1");
    }
    command.forEach(c -> b.add("command", c));
    return b.build();
  }
}
