package io.execsim.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.net.toxic.Reset;
import io.execsim.core.net.toxic.Stall;
import io.execsim.core.testing.NettyLeaks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A link direction's watch of a byte offset, as a trigger at a byte uses it. */
class LinkWatchTest {
  static {
    NettyLeaks.detectAtParanoidLevel();
  }

  private final ProbedLink p = new ProbedLink();

  @AfterEach
  void noBufferLeaked() {
    NettyLeaks.assertNoneLeaked();
  }

  @Test
  void toxicAddedByAWatchActsFromItsByteInsideTheWriteThatCarriesIt() {
    p.toClient().whenSent(5, () -> p.toClient().add(new Reset(), 5));

    p.serverWrites("hello world");
    p.scheduler.runUntilIdle();

    assertThat(p.atClient.text()).isEqualTo("hello");
    assertThat(p.link.isReset()).isTrue();
  }

  @Test
  void watchOfAnOffsetPassedRunsAtOnceAndOneNeverReachedNever() {
    List<String> ran = new ArrayList<>();
    p.clientWrites("abc");
    p.scheduler.runUntilIdle();

    p.toServer().whenSent(2, () -> ran.add("passed"));
    p.toServer().whenSent(100, () -> ran.add("never"));
    p.toServer().add(new Stall(), 0);
    p.link.client().close();
    p.scheduler.runUntilIdle();

    assertThat(ran).containsExactly("passed");
    assertThat(p.toServer().bytesSent()).isEqualTo(3);
  }
}
