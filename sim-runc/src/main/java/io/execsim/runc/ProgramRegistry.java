package io.execsim.runc;

import io.execsim.core.fs.FileSystemView;
import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The programs that executables on a node stand for, as a kernel's binary loader would find them. An executable
 * file holds a small header naming its program ({@link #binary}); installing a program writes that file into a
 * container's root file system with mode 0755.
 */
public final class ProgramRegistry {
  private static final byte[] MAGIC = "\u007fELF execsim:".getBytes(StandardCharsets.US_ASCII);

  private final Map<String, Program> programs = new TreeMap<>();

  /** Registers {@code program} under {@code name}, replacing any earlier one of that name. */
  public synchronized ProgramRegistry register(String name, Program program) {
    if (name.isEmpty() || name.contains("\n")) {
      throw new IllegalArgumentException("program name must be one non-empty line: " + name);
    }
    programs.put(name, program);
    return this;
  }

  /** Registers every program of {@code map}. */
  public synchronized ProgramRegistry registerAll(Map<String, Program> map) {
    map.forEach(this::register);
    return this;
  }

  /** The program registered under {@code name}. */
  public synchronized Optional<Program> get(String name) {
    return Optional.ofNullable(programs.get(name));
  }

  /** The contents of an executable file that runs the program {@code name}. */
  public static byte[] binary(String name) {
    byte[] n = (name + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(MAGIC, MAGIC.length + n.length);
    System.arraycopy(n, 0, out, MAGIC.length, n.length);
    return out;
  }

  /** The program name an executable file's contents stand for, if they are a binary of this registry's format. */
  public static Optional<String> programOf(byte[] contents) {
    if (contents.length < MAGIC.length || !Arrays.equals(contents, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return Optional.empty();
    }
    int end = MAGIC.length;
    while (end < contents.length && contents[end] != '\n') {
      end++;
    }
    return Optional.of(new String(contents, MAGIC.length, end - MAGIC.length, StandardCharsets.UTF_8));
  }

  /** Writes an executable at {@code path} of {@code root} that runs the program {@code name}. */
  public static void install(FileSystemView root, String path, String name) {
    root.mkdirAll(io.execsim.core.fs.Paths.parent(path), 0755);
    root.writeFile(path, binary(name), 0755);
  }
}
