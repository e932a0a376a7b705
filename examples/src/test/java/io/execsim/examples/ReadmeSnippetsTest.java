package io.execsim.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Java example of the README is, line for line, in a test of the project, so that a test runs it. */
class ReadmeSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Path ROOT = Path.of("..");

  @Test
  void everyJavaExampleOfTheReadmeIsInATest() throws IOException {
    List<String> snippets = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
    while (m.find()) {
      snippets.add(normalized(m.group(1)));
    }
    List<String> tests;
    try (Stream<Path> files = Files.walk(ROOT)) {
      tests = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .map(ReadmeSnippetsTest::read).map(ReadmeSnippetsTest::normalized).toList();
    }

    assertThat(snippets).as("the README's Java examples").isNotEmpty();
    assertThat(snippets).allSatisfy(s -> assertThat(tests).as("a test holding%n%s", s)
        .anyMatch(t -> t.contains(s)));
  }

  /** The lines without their indentation, blank ones left out. */
  private static String normalized(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
