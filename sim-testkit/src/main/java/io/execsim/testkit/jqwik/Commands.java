package io.execsim.testkit.jqwik;

import io.execsim.kubectl.ExecCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik arbitraries of {@code kubectl exec} commands into pod {@code default/web}, container {@code app}: the pod
 * of the default cluster, with a busybox image. A failing command shrinks toward the first kind below, and within
 * its kind toward fewer and shorter words and smaller numbers, down to {@code echo a}.
 */
public final class Commands {
  /** The namespace of the commands' pod. */
  public static final String NAMESPACE = "default";
  /** The commands' pod. */
  public static final String POD = "web";
  /** The commands' container. */
  public static final String CONTAINER = "app";

  private Commands() {
  }

  /**
   * The kinds of command, in shrinking order:
   * <ul>
   *   <li>{@code echo WORD...}: one to three words of {@code a} to {@code z};
   *   <li>{@code sh -c 'echo a; sleep N; echo b'} with N from 0 to 10 seconds: output on both sides of a pause;
   *   <li>{@code sh -c 'exit N'} with N from 0 to 255;
   *   <li>{@code touch /tmp/NAME}: a change to the container's file system;
   *   <li>{@code cat} with {@code -i} and up to 200 bytes of words and newlines piped in.
   * </ul>
   */
  public static Arbitrary<ExecCommand> commands() {
    return Arbitraries.oneOf(List.of(echoes(), pauses(), exits(), touches(), cats()));
  }

  private static Arbitrary<ExecCommand> echoes() {
    return words().list().ofMinSize(1).ofMaxSize(3).map(words -> {
      List<String> argv = new ArrayList<>();
      argv.add("echo");
      argv.addAll(words);
      return exec(argv.toArray(String[]::new));
    });
  }

  private static Arbitrary<ExecCommand> pauses() {
    return Arbitraries.integers().between(0, 10).map(n -> exec("sh", "-c", "echo a; sleep " + n + "; echo b"));
  }

  private static Arbitrary<ExecCommand> exits() {
    return Arbitraries.integers().between(0, 255).map(n -> exec("sh", "-c", "exit " + n));
  }

  private static Arbitrary<ExecCommand> touches() {
    return words().map(name -> exec("touch", "/tmp/" + name));
  }

  private static Arbitrary<ExecCommand> cats() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '\n').ofMaxLength(200)
        .map(input -> exec("cat").withStdin(input.getBytes(StandardCharsets.UTF_8)));
  }

  private static Arbitrary<String> words() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
  }

  private static ExecCommand exec(String... argv) {
    return ExecCommand.of(NAMESPACE, POD, argv).inContainer(CONTAINER);
  }
}
