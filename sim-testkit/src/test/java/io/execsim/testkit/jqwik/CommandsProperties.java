package io.execsim.testkit.jqwik;

import static io.execsim.testkit.assertions.ExecSimAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.outcome.ExecOutcome;
import io.execsim.core.outcome.OutcomeClass;
import io.execsim.kubectl.ExecCommand;
import io.execsim.testkit.SimCluster;
import io.execsim.testkit.junit.SimulatedCluster;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every generated command runs to its end in the cluster the hook injects, and leaves nothing behind. */
@ExecSimProperties
class CommandsProperties {
  @Property(tries = 25)
  void everyCommandRunsToItsEndWithoutFaults(@ForAll("commands") ExecCommand command,
      @SimulatedCluster SimCluster cluster) {
    ExecOutcome outcome = cluster.execWithOutcome(command);

    assertThat(outcome.classification()).isEqualTo(OutcomeClass.SUCCEEDED);
    assertThat(cluster.runUntilIdle(Duration.ofHours(5))).as("no task left running").isTrue();
    assertThat(cluster).hasNoLeftovers();
  }

  @Provide
  Arbitrary<ExecCommand> commands() {
    return Commands.commands();
  }
}
