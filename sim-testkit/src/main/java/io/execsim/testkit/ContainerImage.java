package io.execsim.testkit;

import io.execsim.core.process.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container starts from: files of its root file system, programs installed as executables, and its default
 * process (command, environment, working directory). Immutable; each {@code with} method returns a new image.
 *
 * @param files regular files by absolute path
 * @param programs executables by absolute path, each running a program of the given name
 * @param userPrograms programs written as Java code, by name
 * @param command the init process's argument vector
 * @param env the default environment of every process
 * @param cwd the default working directory
 */
public record ContainerImage(Map<String, ImageFile> files, Map<String, String> programs,
    Map<String, Program> userPrograms, List<String> command, List<String> env, String cwd) {

  /** The {@code PATH} of a Debian-based image, as {@code runc spec} and Docker set it. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The names of the built-in programs a busybox image links into {@code /bin}. */
  public static final List<String> BUSYBOX = List.of("sh", "echo", "cat", "sleep", "true", "false", "ls",
      "touch", "env", "printf", "head", "yes", "id");

  /** Copies the collections. */
  public ContainerImage {
    files = Map.copyOf(files);
    programs = Map.copyOf(programs);
    userPrograms = Map.copyOf(userPrograms);
    command = List.copyOf(command);
    env = List.copyOf(env);
  }

  /** A file of an image. */
  public record ImageFile(byte[] content, int mode) {
  }

  /**
   * A busybox image: the built-ins in {@code /bin}, {@code /pause} as the init, {@code PATH} set, {@code /} as the
   * working directory, and the usual empty directories.
   */
  public static ContainerImage busybox() {
    Map<String, String> programs = new LinkedHashMap<>();
    for (String name : BUSYBOX) {
      programs.put("/bin/" + name, name);
    }
    programs.put("/pause", "pause");
    return new ContainerImage(Map.of(), programs, Map.of(), List.of("/pause"), List.of("PATH=" + DEFAULT_PATH),
        "/");
  }

  /** This image with a file at {@code path}. */
  public ContainerImage withFile(String path, String content, int mode) {
    return withFile(path, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  /** This image with a file at {@code path}. */
  public ContainerImage withFile(String path, byte[] content, int mode) {
    Map<String, ImageFile> f = new LinkedHashMap<>(files);
    f.put(path, new ImageFile(content.clone(), mode));
    return new ContainerImage(f, programs, userPrograms, command, env, cwd);
  }

  /** This image with {@code program}, written in Java, installed as the executable {@code path}. */
  public ContainerImage withProgram(String path, Program program) {
    String name = "user:" + path;
    Map<String, String> p = new LinkedHashMap<>(programs);
    p.put(path, name);
    Map<String, Program> u = new LinkedHashMap<>(userPrograms);
    u.put(name, program);
    return new ContainerImage(files, p, u, command, env, cwd);
  }

  /** This image with another default environment entry appended. */
  public ContainerImage withEnv(String entry) {
    List<String> e = new ArrayList<>(env);
    e.add(entry);
    return new ContainerImage(files, programs, userPrograms, command, e, cwd);
  }

  /** This image with another init command. */
  public ContainerImage withCommand(List<String> newCommand) {
    return new ContainerImage(files, programs, userPrograms, newCommand, env, cwd);
  }

  /** This image with another default working directory. */
  public ContainerImage withCwd(String dir) {
    return new ContainerImage(files, programs, userPrograms, command, env, dir);
  }
}
