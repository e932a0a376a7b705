package io.execsim.runc.programs;

import static io.execsim.runc.programs.RanAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.process.Credentials;
import io.execsim.core.sched.DeterministicScheduler;
import io.execsim.runc.programs.TestApplet.Caller;
import io.execsim.runc.programs.TestApplet.Result;
import io.execsim.runc.programs.TestContainer.Ran;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code test} and {@code [}; the expected statuses and texts are busybox 1.35's. */
class TestAppletTest {
  private static final byte[] NOTHING = new byte[0];
  private static final Credentials USER = new Credentials(1000, 1000, List.of());

  private final TestContainer container = new TestContainer();

  @Test
  void noArgumentsIsFalseAndOneIsTrueUnlessEmpty() {
    assertThat(test()).complainedOfNothing().exitedWith(1);
    assertThat(test("")).exitedWith(1);
    assertThat(test("x")).exitedWith(0);
    assertThat(test("-n")).exitedWith(0);
    assertThat(test("-z")).exitedWith(0);
    assertThat(test("!")).exitedWith(0);
    assertThat(test("(")).exitedWith(0);
  }

  @Test
  void argumentCountSettlesAmbiguousExpressions() {
    assertThat(test("!", "=", "x")).exitedWith(1);
    assertThat(test("=", "=", "=")).exitedWith(0);
    assertThat(test("(", "=", "(")).exitedWith(0);
    assertThat(test("-n", "=", "-n")).exitedWith(0);
    assertThat(test("(", "=", ")")).exitedWith(1);
    assertThat(test("!", "!")).exitedWith(1);
    assertThat(test("!", "-z")).exitedWith(1);
    assertThat(test("!", "-z", "x")).exitedWith(0);
    assertThat(test("(", "!", "x", ")")).exitedWith(1);
    assertThat(test("!", "x", "=", "y")).exitedWith(0);
    assertThat(test("!", "!", "x", "=", "y")).exitedWith(1);
    assertThat(test("!", "!", "!", "x")).exitedWith(1);
  }

  @Test
  void notAndOrAndParenthesesCombine() {
    assertThat(test("x", "-a", "")).exitedWith(1);
    assertThat(test("", "-o", "x")).exitedWith(0);
    assertThat(test("x", "-a", "y", "-o", "")).exitedWith(0);
    assertThat(test("", "-a", "y", "-o", "x")).exitedWith(0);
    assertThat(test("!", "x", "-a", "y")).exitedWith(1);
    assertThat(test("!", "", "-a", "y")).exitedWith(0);
    assertThat(test("(", "x", "-a", "", ")", "-o", "y")).exitedWith(0);
    assertThat(test("x", "-a", "!")).exitedWith(0);
    assertThat(test("1", "-eq", "1", "-a", "2", "-eq", "2")).exitedWith(0);
    assertThat(test("(", ")", ")")).exitedWith(0);
  }

  @Test
  void bothSidesOfAndAndOrAreEvaluated() {
    assertThat(test("x", "-o", "1", "-eq", "a")).complained("test: a: bad number\n").exitedWith(2);
    assertThat(test("", "-a", "1", "-eq", "a")).complained("test: a: bad number\n").exitedWith(2);
  }

  @Test
  void stringsCompareByteByByte() {
    assertThat(test("a", "<", "b")).exitedWith(0);
    assertThat(test("b", "<", "a")).exitedWith(1);
    assertThat(test("a", ">", "b")).exitedWith(1);
    assertThat(test("é", ">", "z")).exitedWith(0);
    assertThat(test("a", "==", "a")).exitedWith(0);
    assertThat(test("", "=", "")).exitedWith(0);
    assertThat(test("", "!=", "")).exitedWith(1);
  }

  @Test
  void integersTakeBlanksSignsAndSixtyFourBits() {
    assertThat(test("  12  ", "-eq", "12")).exitedWith(0);
    assertThat(test("1\t", "-eq", "1")).exitedWith(0);
    assertThat(test("\n1\n", "-ne", "2")).exitedWith(0);
    assertThat(test("+1", "-eq", "1")).exitedWith(0);
    assertThat(test("010", "-eq", "10")).exitedWith(0);
    assertThat(test("-9223372036854775808", "-lt", "9223372036854775807")).exitedWith(0);
    assertThat(test("-4", "-ge", "-3")).exitedWith(1);
    assertThat(test("3", "-le", "3")).exitedWith(0);
    assertThat(test("3", "-gt", "3")).exitedWith(1);
  }

  @Test
  void badNumbersAreErrorsNamingTheWord() {
    assertThat(test("a", "-eq", "1")).printed("").complained("test: a: bad number\n").exitedWith(2);
    assertThat(test("1", "-eq", "b")).complained("test: b: bad number\n").exitedWith(2);
    assertThat(test("a", "-eq", "b")).complained("test: a: bad number\n").exitedWith(2);
    assertThat(test("12x", "-eq", "12")).complained("test: 12x: bad number\n").exitedWith(2);
    assertThat(test("0x10", "-eq", "16")).complained("test: 0x10: bad number\n").exitedWith(2);
    assertThat(test("+-1", "-eq", "0")).complained("test: +-1: bad number\n").exitedWith(2);
    assertThat(test("-", "-eq", "0")).complained("test: -: bad number\n").exitedWith(2);
    assertThat(test("", "-eq", "0")).complained("test: bad number\n").exitedWith(2);
    assertThat(test("9223372036854775808", "-gt", "1")).complained("test: 9223372036854775808: out of range\n")
        .exitedWith(2);
    assertThat(test("-9223372036854775809", "-lt", "0")).complained("test: -9223372036854775809: out of range\n")
        .exitedWith(2);
    assertThat(test("99999999999999999999x", "-eq", "1"))
        .complained("test: 99999999999999999999x: out of range\n").exitedWith(2);
  }

  @Test
  void missingAndLeftoverArgumentsAreErrors() {
    assertThat(test("1", "-lt")).complained("test: -lt: argument expected\n").exitedWith(2);
    assertThat(test("x", "-nt")).complained("test: -nt: argument expected\n").exitedWith(2);
    assertThat(test("1", "-a")).complained("test: argument expected\n").exitedWith(2);
    assertThat(test("-a", "-a")).complained("test: argument expected\n").exitedWith(2);
    assertThat(test("(", "x")).complained("test: closing paren expected\n").exitedWith(2);
    assertThat(test("(", ")")).complained("test: closing paren expected\n").exitedWith(2);
    assertThat(test("1", "2")).complained("test: 2: unknown operand\n").exitedWith(2);
    assertThat(test("3", "-lt", "5", "6")).complained("test: 6: unknown operand\n").exitedWith(2);
    assertThat(test("-z", "-z", "-z")).complained("test: -z: unknown operand\n").exitedWith(2);
    assertThat(test("a", "")).complained("test: : unknown operand\n").exitedWith(2);
  }

  @Test
  void fourWordsInParenthesesLoseTheirClosingOne() {
    // busybox reads "( A B )" as the test of A and B, which only a "!" as A gets to
    assertThat(test("(", "-n", "x", ")")).complained("test: closing paren expected\n").exitedWith(2);
    assertThat(test("!", "(", "-n", "x", ")")).complained("test: closing paren expected\n").exitedWith(2);
    assertThat(test("(", "-n", "x", ")", "-a", "y")).exitedWith(0);
    assertThat(test("(", "x", "=", "x", ")")).exitedWith(0);
  }

  @Test
  void bracketWantsAClosingBracketLast() {
    assertThat(run("[", "1", "-lt", "]")).complained("[: -lt: argument expected\n").exitedWith(2);
    assertThat(run("[", "1", "-lt")).complained("[: missing ]\n").exitedWith(2);
    assertThat(run("[")).complained("[: missing ]\n").exitedWith(2);
    assertThat(run("[", "]")).complainedOfNothing().exitedWith(1);
    assertThat(run("[", "]", "]")).exitedWith(0);
    assertThat(run("[", "", "]")).exitedWith(1);
    assertThat(run("[", "1", "2", "]")).complained("[: 2: unknown operand\n").exitedWith(2);
    assertThat(run("/bin/[", "a", "=", "a", "]")).exitedWith(0);
    assertThat(test("a", "]")).complained("test: ]: unknown operand\n").exitedWith(2);
  }

  @Test
  void evaluateLeavesThePrefixToItsCaller() {
    Caller root = caller(Credentials.ROOT);

    assertThat(TestApplet.evaluate(List.of("1", "-lt"), false, root))
        .isEqualTo(new Result(2, Optional.of("-lt: argument expected")));
    assertThat(TestApplet.evaluate(List.of("1"), true, root)).isEqualTo(new Result(2, Optional.of("missing ]")));
    assertThat(TestApplet.evaluate(List.of("a", "=", "a", "]"), true, root)).isEqualTo(new Result(0, Optional.empty()));
    assertThat(TestApplet.evaluate(List.of("-d", "/nosuch"), false, root)).isEqualTo(new Result(1, Optional.empty()));
  }

  @Test
  void fileTypesAndSizes() {
    container.file("/tmp/f", "hello", 0644).file("/tmp/empty", "", 0644);
    container.root().mkdir("/tmp/d", 0755);

    assertThat(test("-e", "/tmp/f")).exitedWith(0);
    assertThat(test("-f", "/tmp/f")).exitedWith(0);
    assertThat(test("-d", "/tmp/f")).exitedWith(1);
    assertThat(test("-d", "/tmp/d")).exitedWith(0);
    assertThat(test("-f", "/tmp/d")).exitedWith(1);
    assertThat(test("-s", "/tmp/f")).exitedWith(0);
    assertThat(test("-s", "/tmp/empty")).exitedWith(1);
    assertThat(test("-s", "/tmp/d")).exitedWith(0);
    assertThat(test("-e", "/nosuch")).exitedWith(1);
    assertThat(test("-e", "")).exitedWith(1);
    assertThat(test("-b", "/tmp/f")).exitedWith(1);
    assertThat(test("-p", "/tmp/f")).exitedWith(1);
    assertThat(test("-c", "/dev/null")).exitedWith(0);
    assertThat(test("-e", "/dev/null")).exitedWith(0);
    assertThat(test("-s", "/dev/null")).exitedWith(1);
    assertThat(test("-f", "/dev/null")).exitedWith(1);
  }

  @Test
  void onlyDirectoriesMayStandBeforeASlash() {
    container.file("/tmp/f", "hello", 0644);

    assertThat(test("-f", "/tmp/f/")).exitedWith(1);
    assertThat(test("-e", "/tmp/f/.")).exitedWith(1);
    assertThat(test("-e", "/tmp/f/../f")).exitedWith(1);
    assertThat(test("-d", "/tmp/")).exitedWith(0);
    assertThat(test("-f", "/tmp//f")).exitedWith(0);
    assertThat(test("-f", "/tmp/../tmp/./f")).exitedWith(0);
    assertThat(test("-d", "/..")).exitedWith(0);
  }

  @Test
  void symbolicLinkTestsAreFalseWithoutLinks() {
    container.file("/tmp/f", "hello", 0644);

    assertThat(test("-h", "/tmp/f")).exitedWith(1);
    assertThat(test("-L", "/tmp")).exitedWith(1);
    assertThat(test("!", "-L", "/nosuch")).exitedWith(0);
  }

  @Test
  void fifosAndSocketsAreTheirOwnKinds() {
    NodeFileSystem node = new NodeFileSystem(new DeterministicScheduler());
    node.mkdirAll("/c/run", 0755);
    node.mkfifo("/c/run/fifo", 0644);
    node.mksock("/c/run/sock", 0755);
    FileSystemView root = node.view("/c");
    Caller caller = new Caller(root, "/run", Credentials.ROOT, fd -> false);

    assertThat(TestApplet.evaluate(List.of("-p", "fifo"), false, caller).status()).isZero();
    assertThat(TestApplet.evaluate(List.of("-S", "sock"), false, caller).status()).isZero();
    assertThat(TestApplet.evaluate(List.of("-S", "fifo"), false, caller).status()).isOne();
    assertThat(TestApplet.evaluate(List.of("-f", "sock"), false, caller).status()).isOne();
    assertThat(TestApplet.evaluate(List.of("-s", "fifo"), false, caller).status()).isOne();
  }

  @Test
  void relativeNamesStartFromTheWorkingDirectory() {
    container.file("/tmp/f", "hello", 0644);
    Caller inTmp = new Caller(container.root(), "/tmp", Credentials.ROOT, fd -> false);

    assertThat(TestApplet.evaluate(List.of("-f", "f"), false, inTmp).status()).isZero();
    assertThat(TestApplet.evaluate(List.of("-f", "../tmp/f"), false, inTmp).status()).isZero();
    assertThat(TestApplet.evaluate(List.of("-f", "../f"), false, inTmp).status()).isOne();
    assertThat(TestApplet.evaluate(List.of("-d", "."), false, inTmp).status()).isZero();
  }

  @Test
  void setuidSetgidAndStickyBitsShow() {
    container.file("/tmp/suid", "", 04755).file("/tmp/sgid", "", 02755);
    container.root().mkdir("/tmp/sticky", 01777);

    assertThat(test("-u", "/tmp/suid")).exitedWith(0);
    assertThat(test("-g", "/tmp/suid")).exitedWith(1);
    assertThat(test("-g", "/tmp/sgid")).exitedWith(0);
    assertThat(test("-k", "/tmp/sticky")).exitedWith(0);
    assertThat(test("-k", "/tmp")).exitedWith(1);
  }

  @Test
  void rootReadsAndWritesAnythingButExecutesOnlyWithAnExecuteBit() {
    container.file("/tmp/none", "", 0).file("/tmp/groupx", "", 0010);
    container.root().mkdir("/tmp/closed", 0);

    assertThat(status(Credentials.ROOT, "-r", "/tmp/none")).isZero();
    assertThat(status(Credentials.ROOT, "-w", "/tmp/none")).isZero();
    assertThat(status(Credentials.ROOT, "-x", "/tmp/none")).isOne();
    assertThat(status(Credentials.ROOT, "-x", "/tmp/groupx")).isZero();
    // busybox's own check, unlike access(2), does not let root search a directory without execute bits
    assertThat(status(Credentials.ROOT, "-x", "/tmp/closed")).isOne();
    assertThat(status(Credentials.ROOT, "-x", "/tmp")).isZero();
  }

  @Test
  void othersGetTheBitsOfTheirClassAsRootOwnsEveryFile() {
    container.file("/tmp/o4", "", 0004).file("/tmp/g4", "", 0040).file("/tmp/u4", "", 0400)
        .file("/tmp/o2", "", 0002).file("/tmp/o1", "", 0001);
    Credentials inRootGroup = new Credentials(1000, 0, List.of());
    Credentials withRootGroup = new Credentials(1000, 1000, List.of(0L));

    assertThat(status(USER, "-r", "/tmp/o4")).isZero();
    assertThat(status(USER, "-r", "/tmp/g4")).isOne();
    assertThat(status(USER, "-r", "/tmp/u4")).isOne();
    assertThat(status(USER, "-w", "/tmp/o2")).isZero();
    assertThat(status(USER, "-w", "/tmp/o4")).isOne();
    assertThat(status(USER, "-x", "/tmp/o1")).isZero();
    // a member of the file's group gets the group's bits, not the others'
    assertThat(status(inRootGroup, "-r", "/tmp/g4")).isZero();
    assertThat(status(inRootGroup, "-r", "/tmp/o4")).isOne();
    assertThat(status(withRootGroup, "-r", "/tmp/g4")).isZero();
    assertThat(status(withRootGroup, "-r", "/tmp/o4")).isOne();
    assertThat(status(USER, "-r", "/nosuch")).isOne();
  }

  @Test
  void ownerAndGroupAreRootsForEveryFile() {
    assertThat(status(Credentials.ROOT, "-O", "/tmp")).isZero();
    assertThat(status(USER, "-O", "/tmp")).isOne();
    assertThat(status(new Credentials(1000, 0, List.of()), "-G", "/tmp")).isZero();
    // -G asks for the group the process runs as, not a supplementary one
    assertThat(status(new Credentials(0, 1000, List.of(0L)), "-G", "/tmp")).isOne();
    assertThat(status(Credentials.ROOT, "-O", "/nosuch")).isOne();
  }

  @Test
  void noFileIsNewerOrOlderAndSameFileComparesWhereNamesLead() {
    container.file("/tmp/f", "a", 0644).file("/tmp/g", "b", 0644);

    assertThat(test("/tmp/f", "-nt", "/tmp/g")).exitedWith(1);
    assertThat(test("/tmp/f", "-ot", "/tmp/g")).exitedWith(1);
    assertThat(test("/tmp/f", "-nt", "/nosuch")).exitedWith(1);
    assertThat(test("/tmp/f", "-ef", "/tmp/../tmp/f")).exitedWith(0);
    assertThat(test("/", "-ef", "/.")).exitedWith(0);
    assertThat(test("/tmp/f", "-ef", "/tmp/g")).exitedWith(1);
    assertThat(test("x", "-ef", "x")).exitedWith(1);
  }

  @Test
  void terminalTestAsksWhichDescriptorsAreTerminals() {
    Caller stdoutIsTerminal = new Caller(container.root(), "/", Credentials.ROOT, fd -> fd == 1);

    assertThat(TestApplet.evaluate(List.of("-t", "1"), false, stdoutIsTerminal).status()).isZero();
    assertThat(TestApplet.evaluate(List.of("-t", " 1 "), false, stdoutIsTerminal).status()).isZero();
    // isatty takes an int
    assertThat(TestApplet.evaluate(List.of("-t", "4294967297"), false, stdoutIsTerminal).status()).isZero();
    assertThat(TestApplet.evaluate(List.of("-t", "0"), false, stdoutIsTerminal).status()).isOne();
    assertThat(TestApplet.evaluate(List.of("-t", "x"), false, stdoutIsTerminal))
        .isEqualTo(new Result(2, Optional.of("x: bad number")));
    assertThat(TestApplet.evaluate(List.of("-t", ""), false, stdoutIsTerminal))
        .isEqualTo(new Result(2, Optional.of("bad number")));
    assertThat(test("-t", "1")).exitedWith(1);
    assertThat(test("-t", "1", "2")).complained("test: 2: unknown operand\n").exitedWith(2);
  }

  @Test
  void shellRunsTestAndBracket() {
    assertThat(container.sh("[ -d /tmp ] && test 1 -lt 2 && echo yes; [ a = b ] || echo no; /bin/[ x ]; echo $?"))
        .printed("yes\nno\n0\n").complainedOfNothing().exitedWith(0);
  }

  @Test
  void shellBuiltinNeedsNoPathAndComplainsAsTheShell() {
    container.file("/tmp/f", "hello", 0644);

    assertThat(container.sh("PATH=/nowhere; cd /tmp && test -f f && [ -s f ] && echo here"))
        .printed("here\n").complainedOfNothing().exitedWith(0);
    assertThat(container.sh("test 1 -lt; [ 1 -lt 2"))
        .complained("sh: -lt: argument expected\nsh: missing ]\n").exitedWith(2);
    assertThat(container.sh("/bin/test 1 -lt")).complained("test: -lt: argument expected\n").exitedWith(2);
  }

  private Ran test(String... args) {
    List<String> argv = new ArrayList<>(List.of(TestApplet.NAME));
    argv.addAll(List.of(args));
    return container.run(NOTHING, argv.toArray(new String[0]));
  }

  private Ran run(String... argv) {
    return container.run(NOTHING, argv);
  }

  private int status(Credentials who, String... args) {
    return TestApplet.evaluate(List.of(args), false, caller(who)).status();
  }

  private Caller caller(Credentials who) {
    return new Caller(container.root(), "/", who, fd -> false);
  }
}
