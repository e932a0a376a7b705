package io.execsim.examples.chaos;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.process.ProcessContext;
import io.execsim.core.process.Program;
import io.execsim.testkit.ContainerImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A stand-in for chaosblade's {@code blade} command line in the target container, as a chaos operator execs it:
 * {@code blade create cpu load [--uid <uid>]} prepares for a second, then records the experiment under {@value
 * #DIR} and prints its uid; {@code blade status <uid>} tells whether the experiment exists. Its answers are shaped
 * like blade's JSON ({@code {"code":200,"success":true,"result":...}}); the rest of blade is left out.
 *
 * <p>Without {@code --uid} each create makes a new experiment with a uid of its own; with one, creating an
 * experiment that exists changes nothing and answers as the first create did, so a retry is harmless.
 */
public final class Blade implements Program {
  /** Where the experiments live in the container. */
  public static final String DIR = "/var/run/blade";
  /** Where the command is installed. */
  public static final String PATH = "/usr/local/bin/blade";
  /** How long a create prepares before the experiment takes effect. */
  public static final Duration PREPARE = Duration.ofSeconds(1);

  private Blade() {
  }

  /** A busybox image with {@code blade} installed. */
  public static ContainerImage image() {
    return ContainerImage.busybox().withFile(DIR + "/.keep", "", 0644).withProgram(PATH, new Blade());
  }

  /**
   * The experiments recorded in a container's root file system: what really was injected; none when the
   * container is gone (its shim killed, say), as its experiments went with it.
   */
  public static List<String> experiments(FileSystemView rootfs) {
    if (!rootfs.exists(DIR)) {
      return List.of();
    }
    return rootfs.list(DIR).stream().filter(n -> !n.startsWith(".")).sorted().toList();
  }

  @Override
  public CompletionStage<Integer> run(ProcessContext ctx) {
    List<String> args = ctx.args();
    if (args.size() >= 4 && args.subList(1, 4).equals(List.of("create", "cpu", "load"))) {
      String uid = args.size() == 6 && args.get(4).equals("--uid") ? args.get(5) : "exp-" + ctx.pid();
      return ctx.sleep(PREPARE).thenCompose(v -> {
        ctx.files().writeFile(DIR + "/" + uid, "cpu load\n".getBytes(StandardCharsets.UTF_8), 0644);
        return ctx.print("{\"code\":200,\"success\":true,\"result\":\"" + uid + "\"}\n");
      }).thenApply(v -> 0);
    }
    if (args.size() == 3 && args.get(1).equals("status")) {
      boolean found = ctx.files().exists(DIR + "/" + args.get(2));
      return found
          ? ctx.print("{\"code\":200,\"success\":true,\"result\":{\"Uid\":\"" + args.get(2)
              + "\",\"Status\":\"Success\"}}\n").thenApply(v -> 0)
          : ctx.print("{\"code\":406,\"success\":false,\"error\":\"data not found\"}\n").thenApply(v -> 1);
    }
    return ctx.printErr("blade: unknown command: " + String.join(" ", args.subList(1, args.size())) + "\n")
        .thenCompose(v -> CompletableFuture.completedFuture(2));
  }
}
