package io.execsim.runc.programs;

import static io.execsim.runc.programs.RanAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.execsim.core.error.Errno;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.io.Streams;
import io.execsim.core.process.ExitStatus;
import io.execsim.core.process.Signal;
import io.execsim.runc.programs.TestContainer.Ran;
import io.execsim.runc.programs.TestContainer.Started;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class BuiltinProgramsTest {
  private static final byte[] NOTHING = new byte[0];

  private final TestContainer container = new TestContainer();

  @Test
  void allHasTheBusyboxNamesSorted() {
    assertThat(BuiltinPrograms.all().keySet()).containsExactly("[", "cat", "echo", "env", "false", "head", "id",
        "ls", "printf", "sh", "sleep", "test", "touch", "true", "yes");
  }

  @Test
  void catCopiesStdin() {
    assertThat(container.run(bytes("hello\nworld\n"), "cat")).printed("hello\nworld\n").exitedWith(0);
  }

  @Test
  void catOfMissingFileComplainsAndGoesOn() {
    container.file("/tmp/a", "A\n", 0644);

    assertThat(container.run(bytes("in\n"), "cat", "x", "/tmp/a", "-"))
        .printed("A\nin\n").complained("cat: can't open 'x': No such file or directory\n").exitedWith(1);
  }

  @Test
  void catOfDirectoryIsAReadError() {
    assertThat(container.run(NOTHING, "cat", "/tmp")).complained("cat: read error: Is a directory\n").exitedWith(1);
  }

  @Test
  void eightMebibytesThroughCatArriveIntact() {
    byte[] data = new byte[8 * 1024 * 1024];
    new Random(42).nextBytes(data);

    Ran direct = container.run(data, "cat");
    Ran piped = container.run(data, "sh", "-c", "cat | cat");

    assertThat(direct).exitedWith(0);
    assertThat(sha256(direct.stdout())).isEqualTo(sha256(data));
    assertThat(piped).exitedWith(0);
    assertThat(sha256(piped.stdout())).isEqualTo(sha256(data));
  }

  @Test
  void sleepLastsItsTimeInVirtualTime() {
    Started s = container.start(NOTHING, "sleep", "30");

    container.scheduler().advance(Duration.ofSeconds(30).minusMillis(1));
    assertThat(s.exit()).isNotDone();

    assertThat(container.scheduler().await(s.exit()).status()).isZero();
    assertThat(container.scheduler().elapsed()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void sleepAddsFractionsAndSuffixes() {
    Ran r = container.run(NOTHING, "sleep", "1.5m", "1", "0.25");

    assertThat(r).exitedWith(0);
    assertThat(r.elapsed()).isEqualTo(Duration.ofMillis(91_250));
  }

  @Test
  void sleepRejectsWhatIsNotANumber() {
    assertThat(container.run(NOTHING, "sleep", "x")).complained("sleep: invalid number 'x'\n").exitedWith(1);
    assertThat(container.run(NOTHING, "sleep", "1.5x")).complained("sleep: invalid number '1x'\n").exitedWith(1);
  }

  @Test
  void headTakesLinesOrBytes() {
    byte[] abc = bytes("a\nb\nc\n");

    assertThat(container.run(abc, "head", "-n", "2")).printed("a\nb\n").exitedWith(0);
    assertThat(container.run(abc, "head", "-2")).printed("a\nb\n");
    assertThat(container.run(abc, "head", "-c", "3")).printed("a\nb");
    assertThat(container.run(abc, "head", "-n", "-1")).printed("a\nb\n");
    assertThat(container.run(abc, "head")).printed("a\nb\nc\n");
    assertThat(container.run(abc, "head", "-n", "x")).complained("head: invalid number 'x'\n").exitedWith(1);
  }

  @Test
  void headOfSeveralFilesPrintsHeaders() {
    container.file("/tmp/a", "1\n2\n", 0644).file("/tmp/b", "3\n", 0644);

    assertThat(container.run(NOTHING, "head", "-n", "1", "/tmp/a", "/tmp/b", "/tmp/c"))
        .printed("==> /tmp/a <==\n1\n\n==> /tmp/b <==\n3\n")
        .complained("head: /tmp/c: No such file or directory\n").exitedWith(1);
  }

  @Test
  void echoTakesNoNewlineAndEscapes() {
    assertThat(container.run(NOTHING, "echo", "-n", "a", "b")).printed("a b");
    assertThat(container.run(NOTHING, "echo", "-e", "a\\tb\\x41\\0101\\n\\c", "never")).printed("a\tbAA\n");
    assertThat(container.run(NOTHING, "echo", "-x", "a\\tb")).printed("-x a\\tb\n");
  }

  @Test
  void printfFormatsAndReusesTheFormat() {
    assertThat(container.run(NOTHING, "printf", "%s-%d-%i-%x-%o-%c-%b-%%\\n", "s", "42", "-7", "255", "8", "xyz",
        "a\\tb")).printed("s-42--7-ff-10-x-a\tb-%\n").exitedWith(0);
    assertThat(container.run(NOTHING, "printf", "%s\\n", "a", "b", "c")).printed("a\nb\nc\n");
    assertThat(container.run(NOTHING, "printf", "[%5s][%-3d][%03d][%.2s][%#x]", "ab", "7", "5", "xyz", "255"))
        .printed("[   ab][7  ][005][xy][0xff]");
  }

  @Test
  void printfReportsBadNumbersAndFormats() {
    assertThat(container.run(NOTHING, "printf", "%d\\n", "x")).printed("0\n")
        .complained("printf: invalid number 'x'\n").exitedWith(1);
    assertThat(container.run(NOTHING, "printf", "a%yb")).printed("a")
        .complained("printf: %yb: invalid format\n").exitedWith(1);
  }

  @Test
  void lsListsSortedNamesOnePerLine() {
    container.file("/tmp/d/b", "", 0644).file("/tmp/d/a", "", 0644).file("/tmp/d/.h", "", 0644);

    assertThat(container.run(NOTHING, "ls", "/tmp/d")).printed("a\nb\n").exitedWith(0);
    assertThat(container.run(NOTHING, "ls", "-a", "/tmp/d")).printed(".\n..\n.h\na\nb\n");
    assertThat(container.run(NOTHING, "ls", "/tmp/d/a", "/nosuch", "/bin"))
        .printed("/tmp/d/a\n\n/bin:\n").complained("ls: /nosuch: No such file or directory\n").exitedWith(1);
  }

  @Test
  void lsLongGivesModeSizeAndName() {
    container.file("/tmp/d/f", "hello", 0644);

    assertThat(container.run(NOTHING, "ls", "-l", "/tmp/d"))
        .printed("total 4\n-rw-r--r--    1 0        0                5 Jan  1 00:00 f\n");
  }

  @Test
  void touchCreatesMissingFilesAndKeepsOthers() {
    container.file("/tmp/old", "keep\n", 0644);

    assertThat(container.sh("touch /tmp/new /tmp/old && cat /tmp/new /tmp/old && ls /tmp")).printed("keep\nnew\nold\n");
    assertThat(container.run(NOTHING, "touch", "/x/y")).complained("touch: /x/y: No such file or directory\n")
        .exitedWith(1);
  }

  @Test
  void envPrintsTheEnvironmentWithChanges() {
    assertThat(container.run(NOTHING, "env")).printed("PATH=/bin\nHOME=/root\n").exitedWith(0);
    assertThat(container.run(NOTHING, "env", "-u", "PATH", "A=1", "HOME=/")).printed("HOME=/\nA=1\n");
    assertThat(container.run(NOTHING, "env", "nosuch")).complained("env: can't execute 'nosuch': No such file or"
        + " directory\n").exitedWith(127);
  }

  @Test
  void idShowsBareIdsWithoutUserFiles() {
    assertThat(container.run(NOTHING, "id")).printed("uid=0 gid=0\n").exitedWith(0);
  }

  @Test
  void idNamesIdsFromUserFiles() {
    container.file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)
        .file("/etc/group", "root:x:0:\nwheel:x:10:root\n", 0644);

    assertThat(container.run(NOTHING, "id")).printed("uid=0(root) gid=0(root)\n").exitedWith(0);
    assertThat(container.run(NOTHING, "id", "-un")).printed("root\n");
  }

  @Test
  void yesRepeatsItsArgumentsUntilTheReaderGoes() {
    Ran r = container.sh("yes a b | head -n 2");

    assertThat(r).printed("a b\na b\n").exitedWith(0);
  }

  @Test
  void writeToPipeWhoseReaderClosedFailsTheStage() {
    Pipe pipe = new Pipe(container.scheduler());
    pipe.openReader().close();
    ByteSink writer = pipe.openWriter();

    for (List<String> argv : List.of(List.of("yes"), List.of("echo", "x"), List.of("cat"))) {
      TestProcess p = new TestProcess(container, argv, Streams.of(bytes("data")), writer, Streams.discard());
      CompletionStage<Integer> stage = BuiltinPrograms.all().get(argv.get(0)).run(p);

      assertThatThrownBy(() -> container.scheduler().await(stage)).as("%s", argv)
          .isInstanceOfSatisfying(Errno.ErrnoError.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPIPE));
    }
  }

  @Test
  void yesDiesBySigpipeOnceItsReaderGoes() {
    Pipe pipe = new Pipe(container.scheduler());
    ByteSource reader = pipe.openReader();
    TestProcess yes = new TestProcess(container, List.of("yes"), Streams.empty(), pipe.openWriter(), Streams.discard());
    CompletableFuture<ExitStatus> exit = container.start(yes);

    byte[] first = container.scheduler().await(reader.read(4)).orElseThrow();
    reader.close();

    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("y\ny\n");
    assertThat(container.scheduler().await(exit)).isEqualTo(ExitStatus.killed(Signal.SIGPIPE));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
