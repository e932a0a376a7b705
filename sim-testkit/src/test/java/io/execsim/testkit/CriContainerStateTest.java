package io.execsim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.cri.Containerd.ContainerState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CRI's state of a container, as the kubelet's relist reads it, after each way the container can end. */
class CriContainerStateTest {
  private final SimNode node = SimNode.builder().seed(5).build();

  CriContainerStateTest() {
    node.runContainer("c1", ContainerImage.busybox());
  }

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void aRunningContainerIsRunning() {
    assertThat(node.containerd().state("c1")).contains(ContainerState.CONTAINER_RUNNING);
  }

  @Test
  void aStoppedContainerHasExited() {
    node.stopContainer("c1");
    node.clock().advance(Duration.ofSeconds(1));

    assertThat(node.containerd().state("c1")).contains(ContainerState.CONTAINER_EXITED);
  }

  @Test
  void aContainerWhoseShimWasKilledHasExited() {
    // containerd's clean-up after the dead shim (the shim binary's delete takes a second) publishes the task's
    // exit, which the CRI's event monitor takes
    node.killShim("c1");
    node.clock().advance(Duration.ofSeconds(2));

    assertThat(node.containerd().state("c1")).contains(ContainerState.CONTAINER_EXITED);
    assertThat(node.node().processes().running()).isEmpty();
  }
}
