package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeterminismTest {

  @Test
  void sameSeedGivesTheSameTraceByteForByte() {
    assertThat(run(21)).isEqualTo(run(21));
  }

  @Test
  void anotherSeedGivesOtherIds() {
    assertThat(run(21)).isNotEqualTo(run(22));
  }

  private static String run(long seed) {
    try (SimNode node = SimNode.builder().seed(seed).build()) {
      node.runContainer("c", ContainerImage.busybox());
      node.execSync("c", "sh", "-c", "echo a; sleep 1; echo b >&2; exit 2");
      node.streamExec("c", "input".getBytes(), "cat");
      try {
        node.execSync("c", "nosuch");
      } catch (RuntimeException expected) {
        // the failure is part of the trace
      }
      node.fill("/tmp", SimNode.Resource.INODES);
      try {
        node.execSync("c", "true");
      } catch (RuntimeException expected) {
        // likewise
      }
      return node.trace().render();
    }
  }
}
