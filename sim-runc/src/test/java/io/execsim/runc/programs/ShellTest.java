package io.execsim.runc.programs;

import static io.execsim.runc.programs.RanAssert.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShellTest {
  private final TestContainer container = new TestContainer();

  @Test
  void echoesToBothStreamsAndExitsWithTheGivenCode() {
    assertThat(container.sh("echo out; echo err >&2; exit 3")).printed("out\n").complained("err\n").exitedWith(3);
  }

  @Test
  void exportedVariablesAndPrefixAssignmentsReachPrograms() {
    assertThat(container.sh("export A=1; B=2 env")).printedContaining("A=1\n").printedContaining("B=2\n");
  }

  @Test
  void cdChangesWhereProgramsRun() {
    container.file("/tmp/inside", "x", 0644);

    assertThat(container.sh("cd /tmp && ls")).printed("inside\n").exitedWith(0);
  }

  @Test
  void unknownCommandIsNotFoundWithStatus127() {
    assertThat(container.sh("foo")).printed("").complained("sh: foo: not found\n").exitedWith(127);
  }

  @Test
  void fileWithoutExecuteBitIsPermissionDeniedWithStatus126() {
    container.file("/noexec.sh", "#!/bin/sh\necho noexec\n", 0644);

    assertThat(container.sh("./noexec.sh")).complained("sh: ./noexec.sh: Permission denied\n").exitedWith(126);
  }

  @Test
  void statusOfLastCommandIsInDollarQuestion() {
    assertThat(container.sh("false; echo $?; foo 2>/dev/null; echo $?; true; echo $?"))
        .printed("1\n127\n0\n").complainedOfNothing().exitedWith(0);
  }

  @Test
  void orRunsOnlyAfterFailureAndAndOnlyAfterSuccess() {
    assertThat(container.sh("false || echo x; true && echo y; false && echo no1; true || echo no2"))
        .printed("x\ny\n").exitedWith(0);
  }

  @Test
  void andOrChainSkipsOverTheCommandsItDoesNotRun() {
    assertThat(container.sh("false && echo no || echo yes")).printed("yes\n").exitedWith(0);
  }

  @Test
  void yesIntoHeadStopsAfterThreeLines() {
    assertThat(container.sh("yes | head -n 3")).printed("y\ny\ny\n").complainedOfNothing().exitedWith(0);
  }

  @Test
  void pipelineStatusIsThatOfItsLastCommand() {
    assertThat(container.sh("true | false")).exitedWith(1);
    assertThat(container.sh("false | true")).exitedWith(0);
    assertThat(container.sh("! true | false")).exitedWith(0);
  }

  @Test
  void pipelinePassesDataThroughSpawnedAndBuiltinCommands() {
    assertThat(container.sh("echo one two | cat | head -c 3; echo")).printed("one\n").exitedWith(0);
  }

  @Test
  void redirectionsWriteFilesThatCatReadsBack() {
    assertThat(container.sh("echo a > /tmp/f; echo b >> /tmp/f; cat /tmp/f; cat < /tmp/f >&2"))
        .printed("a\nb\n").complained("a\nb\n").exitedWith(0);
    assertThat(container.sh("echo c >| /tmp/f; cat /tmp/f")).printed("c\n");
  }

  @Test
  void stderrJoinsStdoutWithTwoToOne() {
    assertThat(container.sh("ls /nosuch 2>&1")).printed("ls: /nosuch: No such file or directory\n")
        .complainedOfNothing().exitedWith(1);
    assertThat(container.sh("ls /nosuch >/tmp/both 2>&1; cat /tmp/both"))
        .printed("ls: /nosuch: No such file or directory\n");
  }

  @Test
  void redirectionsApplyLeftToRight() {
    assertThat(container.sh("ls /nosuch 2>&1 >/dev/null")).printed("ls: /nosuch: No such file or directory\n");
  }

  @Test
  void createInMissingDirectoryFailsWithAshTextAndGoesOn() {
    assertThat(container.sh("echo x > /nosuch/f; echo $?"))
        .printed("2\n").complained("sh: can't create /nosuch/f: nonexistent directory\n").exitedWith(0);
  }

  @Test
  void createOverDirectoryNamesTheErrno() {
    assertThat(container.sh("echo x > /tmp")).complained("sh: can't create /tmp: Is a directory\n").exitedWith(2);
  }

  @Test
  void readFromMissingFileFailsWithAshText() {
    assertThat(container.sh("cat < nosuch")).complained("sh: can't open nosuch: no such file\n").exitedWith(2);
  }

  @Test
  void failedRedirectionOfSpecialBuiltinEndsTheShell() {
    assertThat(container.sh(": > /nosuch/f; echo after")).printed("").exitedWith(2);
  }

  @Test
  void devNullIsThereEvenWithoutTheFile() {
    assertThat(container.sh("echo hidden > /dev/null; cat < /dev/null; cat /dev/null; echo ok"))
        .printed("ok\n").complainedOfNothing().exitedWith(0);
  }

  @Test
  void dupOfClosedDescriptorFailsWithBadFileDescriptor() {
    assertThat(container.sh("echo x >&7")).complained("sh: 7: Bad file descriptor\n").exitedWith(2);
  }

  @Test
  void quotesAndBackslashesProtectWhatTheyHold() {
    String script = "X=1; echo 'a  b' \"c  $X\" d\\ e '$X' \"\\$X\" \"\" x 'it'\\''s'";

    assertThat(container.sh(script)).printed("a  b c  1 d e $X $X  x it's\n").exitedWith(0);
  }

  @Test
  void unquotedExpansionIsSplitAndQuotedIsNot() {
    assertThat(container.sh("X='a   b '; printf '[%s]' $X \"$X\" $NOTHING \"$NOTHING\"; echo"))
        .printed("[a][b][a   b ][]\n");
  }

  @Test
  void nonBlankIfsCharactersDelimitEmptyFields() {
    assertThat(container.sh("IFS=:; X=a::b:; printf '[%s]' $X; echo")).printed("[a][][b]\n");
  }

  @Test
  void bracedParametersTakeDefaultsAndAlternatives() {
    assertThat(container.sh("E=; echo ${U-u} ${E-e} ${E:-e} ${X:=set} $X ${X:+alt} ${#X}"))
        .printed("u e set set alt 3\n");
    assertThat(container.sh("echo \"${U:-\"a  b\"}\" ${U:-'c  d'}")).printed("a  b c  d\n");
  }

  @Test
  void unsetParameterWithQuestionMarkEndsTheShell() {
    assertThat(container.sh("echo ${U?}; echo after")).complained("sh: U: parameter not set\n").exitedWith(2);
  }

  @Test
  void argumentsAfterTheScriptArePositionalParameters() {
    assertThat(container.run(new byte[0], "sh", "-c", "echo $0 $1 $# \"$@\"; printf '<%s>' \"$@\"", "name", "a b", "c"))
        .printed("name a b 2 a b c\n<a b><c>").exitedWith(0);
  }

  @Test
  void assignmentsLastAndExportListsQuotedValues() {
    assertThat(container.sh("A=1; echo $A; B=x A=2; echo $A$B; export C=\"it's\"; export"))
        .printed("1\n2x\nexport C='it'\"'\"'s'\nexport HOME='/root'\nexport PATH='/bin'\nexport PWD='/'\n");
  }

  @Test
  void commentsAndBlankLinesAreSkipped() {
    assertThat(container.sh("# a comment\n\necho a # trailing\necho b#c\n")).printed("a\nb#c\n").exitedWith(0);
  }

  @Test
  void cdChangesWhatPwdPrintsAndFailsWithAshText() {
    assertThat(container.sh("cd /tmp && pwd; cd /nosuch; echo $?"))
        .printed("/tmp\n2\n").complained("sh: cd: line 1: can't cd to /nosuch: No such file or directory\n");
  }

  @Test
  void unterminatedQuoteIsSyntaxErrorWithStatus2() {
    assertThat(container.sh("echo 'a")).printed("").complained("sh: syntax error: unterminated quoted string\n")
        .exitedWith(2);
  }

  @Test
  void linesBeforeASyntaxErrorRun() {
    assertThat(container.sh("echo first\necho \"x")).printed("first\n")
        .complained("sh: syntax error: unterminated quoted string\n").exitedWith(2);
  }

  @Test
  void unsupportedKeywordsAndOperatorsFailAsAshSyntaxErrors() {
    assertThat(container.sh("if true; then echo y; fi")).complained("sh: syntax error: unexpected \"if\"\n")
        .exitedWith(2);
    assertThat(container.sh("sleep 1 &")).complained("sh: syntax error: unexpected \"&\"\n").exitedWith(2);
    assertThat(container.sh("echo a |")).complained("sh: syntax error: unexpected end of file\n").exitedWith(2);
    assertThat(container.sh("| echo a")).complained("sh: syntax error: unexpected \"|\"\n").exitedWith(2);
    assertThat(container.sh("echo >")).complained("sh: syntax error: unexpected end of file\n").exitedWith(2);
  }

  @Test
  void exitAloneKeepsTheLastStatus() {
    assertThat(container.sh("false; exit")).exitedWith(1);
    assertThat(container.sh("exit 300")).exitedWith(44);
  }

  @Test
  void exitWithANonNumberIsAnIllegalNumber() {
    assertThat(container.sh("exit abc; echo after")).printed("")
        .complained("sh: exit: line 1: Illegal number: abc\n").exitedWith(2);
  }

  @Test
  void exitInsideAPipelineLeavesTheShellRunning() {
    assertThat(container.sh("exit 5 | true; echo still")).printed("still\n").exitedWith(0);
  }

  @Test
  void namedScriptErrorsGiveTheLine() {
    assertThat(container.run(new byte[0], "sh", "-c", "echo a\nfoo", "myscript"))
        .printed("a\n").complained("myscript: line 2: foo: not found\n").exitedWith(127);
  }

  @Test
  void scriptIsReadFromStdinWithoutMinusC() {
    byte[] script = "echo from stdin\nexit 4\n".getBytes(StandardCharsets.UTF_8);

    assertThat(container.run(script, "sh")).printed("from stdin\n").exitedWith(4);
  }

  @Test
  void scriptFileRunsWithItsArguments() {
    container.file("/tmp/s.sh", "echo $0 $1\nnope\n", 0644);

    assertThat(container.run(new byte[0], "sh", "/tmp/s.sh", "arg"))
        .printed("/tmp/s.sh arg\n").complained("/tmp/s.sh: line 2: nope: not found\n").exitedWith(127);
    assertThat(container.run(new byte[0], "sh", "/nosuch.sh"))
        .complained("sh: can't open '/nosuch.sh': No such file or directory\n").exitedWith(127);
  }

  @Test
  void errexitEndsTheShellOnAFailure() {
    assertThat(container.run(new byte[0], "sh", "-ec", "false || true; false && x; echo on; false; echo no"))
        .printed("on\n").exitedWith(1);
  }

  @Test
  void missingArgumentOfMinusCAndIllegalOptionsAreRejected() {
    assertThat(container.run(new byte[0], "sh", "-c")).complained("sh: -c requires an argument\n").exitedWith(2);
    assertThat(container.run(new byte[0], "sh", "-q")).complained("sh: illegal option -q\n").exitedWith(2);
  }

  @Test
  void manyCommandsInOneScriptDoNotGrowTheStack() {
    String script = "echo x > /dev/null\n".repeat(20_000) + "echo done";

    assertThat(container.sh(script)).printed("done\n").exitedWith(0);
  }
}
