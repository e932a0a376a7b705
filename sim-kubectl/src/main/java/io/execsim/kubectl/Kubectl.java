package io.execsim.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import io.execsim.core.error.GoError;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Streams;
import io.execsim.core.net.Network;
import io.execsim.core.remotecommand.ExecTarget;
import io.execsim.core.remotecommand.ExitCodeError;
import io.execsim.core.remotecommand.RemoteCommandExecutor;
import io.execsim.core.remotecommand.StatusError;
import io.execsim.core.remotecommand.StreamOptions;
import io.execsim.core.remotecommand.UpgradeFailureError;
import io.execsim.core.trace.Hop;
import io.execsim.core.trace.Phase;
import io.execsim.core.trace.Trace;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubectl exec} client: it looks the pod up, refuses completed pods, picks the container as kubectl does,
 * then streams over WebSocket v5 and falls back to SPDY only when the WebSocket upgrade itself failed. The result is
 * what the user sees: the command's output, kubectl's message, and kubectl's exit code.
 *
 * <p>With {@code -it} from a terminal ({@link ExecCommand#withTerminal}) the process gets a pty: stderr is not asked
 * for, since the terminal carries both outputs, and the terminal's sizes go along, the initial one first. As kubectl's
 * {@code SetupTTY} has it, {@code -t} without {@code -i} gets no pty, nor does {@code -t} with piped input, which
 * also prints kubectl's warning.
 *
 * <p>The transports are given as factories of {@link RemoteCommandExecutor}s, so the model runs over the simulated
 * network with the simulation's executors.
 */
public final class Kubectl {
  private static final Logger log = LoggerFactory.getLogger(Kubectl.class);
  private static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  private final String apiserver;
  private final KubectlOptions options;
  private final ApiClient api;
  private final Trace trace;
  private final Function<ExecTarget, RemoteCommandExecutor> webSocket;
  private final Function<ExecTarget, RemoteCommandExecutor> spdy;

  /**
   * kubectl talking to the apiserver at {@code apiserver} on {@code network}; {@code webSocket} and {@code spdy} make
   * the executors of one exec request.
   */
  public Kubectl(Network network, String apiserver, KubectlOptions options, Trace trace,
      Function<ExecTarget, RemoteCommandExecutor> webSocket, Function<ExecTarget, RemoteCommandExecutor> spdy) {
    this.apiserver = apiserver;
    this.options = options;
    this.api = new ApiClient(network, apiserver, options.version());
    this.trace = trace;
    this.webSocket = webSocket;
    this.spdy = spdy;
  }

  /** Runs {@code kubectl exec} and completes with what the user sees. */
  public CompletionStage<KubectlResult> exec(ExecCommand cmd) {
    Streams.Collector out = new Streams.Collector(Integer.MAX_VALUE);
    Streams.Collector err = new Streams.Collector(Integer.MAX_VALUE);
    String[] protocol = new String[1];
    trace.record(Hop.KUBECTL, Phase.CLIENT_REQUEST, "exec " + cmd.namespace() + "/" + cmd.pod() + " -- "
        + String.join(" ", cmd.command()));
    return api.get("/api/v1/namespaces/" + cmd.namespace() + "/pods/" + cmd.pod())
        .thenCompose(pod -> {
          String container = pickContainer(pod, cmd, err);
          boolean raw = setupTty(cmd, err);
          String path = execPath(cmd, container, raw);
          return stream(path, cmd, raw, out, err, protocol);
        })
        .handle((ok, e) -> {
          Optional<String> message = Optional.empty();
          int code = 0;
          if (e != null) {
            GoError g = GoError.from(e);
            code = g instanceof ExitCodeError ? ((ExitCodeError) g).code() : 1;
            message = Optional.of(render(g));
            err.write((message.get() + "\n").getBytes(StandardCharsets.UTF_8));
          }
          trace.record(Hop.KUBECTL, Phase.STREAMS_CLOSED, "exit=" + code);
          return new KubectlResult(out.bytes(), err.bytes(), code, Optional.ofNullable(protocol[0]), message);
        });
  }

  private String pickContainer(JsonNode pod, ExecCommand cmd, Streams.Collector err) {
    String phase = pod.path("status").path("phase").asText();
    // kubectl exec refuses what can never run again
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw GoError.of("cannot exec into a container in a completed pod; current phase is " + phase);
    }
    if (cmd.container().isPresent()) {
      return cmd.container().get();
    }
    List<String> names = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
    String annotated = pod.path("metadata").path("annotations").path(DEFAULT_CONTAINER_ANNOTATION).asText("");
    if (!annotated.isEmpty() && names.contains(annotated)) {
      return annotated;
    }
    if (names.size() > 1) {
      err.write(("Defaulted container \"" + names.get(0) + "\" out of: " + String.join(", ", names) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return names.isEmpty() ? "" : names.get(0);
  }

  /**
   * kubectl's {@code SetupTTY}: whether the process gets a terminal. Without {@code -i} the {@code -t} is dropped
   * silently; with {@code -i} from a pipe it is dropped with a warning.
   */
  private static boolean setupTty(ExecCommand cmd, Streams.Collector err) {
    boolean interactive = cmd.stdin().isPresent() || cmd.terminal().isPresent();
    if (!interactive || !cmd.tty()) {
      return false;
    }
    if (cmd.terminal().isEmpty()) {
      err.write("Unable to use a TTY - input is not a terminal or the right kind of file\n"
          .getBytes(StandardCharsets.UTF_8));
      return false;
    }
    return true;
  }

  private static String execPath(ExecCommand cmd, String container, boolean raw) {
    Map<String, List<String>> query = new TreeMap<>();
    query.put("command", cmd.command());
    query.put("container", List.of(container));
    if (cmd.stdin().isPresent() || cmd.terminal().isPresent()) {
      query.put("stdin", List.of("true"));
    }
    query.put("stdout", List.of("true"));
    if (!raw) {
      query.put("stderr", List.of("true"));
    } else {
      query.put("tty", List.of("true"));
    }
    StringBuilder b = new StringBuilder("/api/v1/namespaces/").append(cmd.namespace()).append("/pods/")
        .append(cmd.pod()).append("/exec");
    char sep = '?';
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      for (String v : e.getValue()) {
        b.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return b.toString();
  }

  private CompletionStage<Void> stream(String path, ExecCommand cmd, boolean raw, Streams.Collector out,
      Streams.Collector err, String[] protocol) {
    ExecTarget target = new ExecTarget(apiserver, apiserver, path, Map.of("User-Agent",
        List.of("kubectl/" + options.version() + " (linux/amd64) kubernetes/execsim")));
    Optional<ByteSource> in = cmd.terminal().isPresent()
        ? Optional.of(Streams.typedThenIdle(cmd.stdin().orElse(new byte[0])))
        : cmd.stdin().map(Streams::of);
    // with a terminal both outputs arrive on stdout, and client-go sends the terminal's sizes, the initial one first
    StreamOptions streams = new StreamOptions(in, Optional.of(out), raw ? Optional.empty() : Optional.of(err), raw,
        raw ? cmd.terminal() : Optional.empty());
    if (!options.webSockets()) {
      protocol[0] = "SPDY/3.1";
      return spdy.apply(target).stream(streams);
    }
    protocol[0] = "websocket";
    CompletableFuture<Void> done = new CompletableFuture<>();
    webSocket.apply(target).stream(streams).whenComplete((ok, e) -> {
      if (e == null) {
        done.complete(null);
        return;
      }
      GoError g = GoError.from(e);
      if (!(g instanceof UpgradeFailureError)) {
        done.completeExceptionally(g);
        return;
      }
      // client-go's fallback executor: only a failed upgrade retries, over SPDY, with a new connection
      log.debug("RemoteCommand fallback: {}", g.text());
      protocol[0] = "SPDY/3.1";
      spdy.apply(target).stream(streams).whenComplete((ok2, e2) -> {
        if (e2 == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(e2);
        }
      });
    });
    return done;
  }

  /** The line kubectl prints for an error, as its {@code checkErr} does. */
  static String render(GoError e) {
    if (e instanceof ExitCodeError) {
      return e.text();
    }
    if (e instanceof UrlError u) {
      // StandardErrorMessage: a url.Error is a connection problem, printed without the "error: " prefix.
      // TODO: a real kubectl first logs its discovery's failures ("couldn't get current server API group list"
      // lines of memcache.go) on stderr; the model does no discovery and prints only this line
      if (u.err().text().contains("connection refused")) {
        return "The connection to the server " + u.host() + " was refused - did you specify the right host or port?";
      }
      return "Unable to connect to the server: " + u.err().text();
    }
    if (e instanceof StatusError) {
      StatusError s = (StatusError) e;
      if (s.reason().equals("Unauthorized")) {
        return "error: You must be logged in to the server (" + s.text() + ")";
      }
      return s.reason().isEmpty() ? "Error from server: " + s.text()
          : "Error from server (" + s.reason() + "): " + s.text();
    }
    return "error: " + e.text();
  }
}
