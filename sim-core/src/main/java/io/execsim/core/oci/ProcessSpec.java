package io.execsim.core.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code process} object of the OCI runtime spec: what containerd sends the shim for an exec, and what the shim
 * writes to the {@code runc-process} temp file. Serialized with the spec's field names, in the order and with the
 * omissions of the Go type, so the temp file holds the bytes the real shim writes.
 *
 * @param terminal whether the process gets a pseudo-terminal
 * @param consoleSize the initial terminal size, if any
 * @param user the user the process runs as
 * @param args the argument vector; {@code args[0]} is looked up in {@code PATH} as {@code execvp} does
 * @param env {@code KEY=value} entries
 * @param cwd the working directory, absolute
 * @param capabilities the capability sets, if any
 * @param rlimits resource limits
 * @param noNewPrivileges whether {@code no_new_privs} is set
 */
@JsonPropertyOrder({"terminal", "consoleSize", "user", "args", "env", "cwd", "capabilities", "rlimits",
    "noNewPrivileges"})
public record ProcessSpec(
    @JsonProperty("terminal") @JsonInclude(Include.NON_DEFAULT) boolean terminal,
    @JsonProperty("consoleSize") @JsonInclude(Include.NON_NULL) @Nullable Box consoleSize,
    @JsonProperty("user") User user,
    @JsonProperty("args") @JsonInclude(Include.NON_EMPTY) List<String> args,
    @JsonProperty("env") @JsonInclude(Include.NON_EMPTY) List<String> env,
    @JsonProperty("cwd") String cwd,
    @JsonProperty("capabilities") @JsonInclude(Include.NON_NULL) @Nullable Capabilities capabilities,
    @JsonProperty("rlimits") @JsonInclude(Include.NON_EMPTY) List<Rlimit> rlimits,
    @JsonProperty("noNewPrivileges") @JsonInclude(Include.NON_DEFAULT) boolean noNewPrivileges) {

  /** Copies the lists, so the spec cannot change after it is built. */
  public ProcessSpec {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(cwd, "cwd");
    args = List.copyOf(args);
    env = List.copyOf(env);
    rlimits = List.copyOf(rlimits);
  }

  /** A spec for {@code args} as root in {@code /} with the given environment and nothing else set. */
  public static ProcessSpec of(List<String> args, List<String> env) {
    return new ProcessSpec(false, null, new User(0, 0), args, env, "/", null, List.of(), false);
  }

  /** This spec with other arguments. */
  public ProcessSpec withArgs(List<String> newArgs) {
    return new ProcessSpec(terminal, consoleSize, user, newArgs, env, cwd, capabilities, rlimits, noNewPrivileges);
  }

  /** This spec with a terminal on or off. */
  public ProcessSpec withTerminal(boolean on) {
    return new ProcessSpec(on, consoleSize, user, args, env, cwd, capabilities, rlimits, noNewPrivileges);
  }

  /** This spec with another working directory. */
  public ProcessSpec withCwd(String dir) {
    return new ProcessSpec(terminal, consoleSize, user, args, env, dir, capabilities, rlimits, noNewPrivileges);
  }

  /** This spec with another user. */
  public ProcessSpec withUser(User newUser) {
    return new ProcessSpec(terminal, consoleSize, newUser, args, env, cwd, capabilities, rlimits, noNewPrivileges);
  }

  /** This spec with another environment. */
  public ProcessSpec withEnv(List<String> newEnv) {
    return new ProcessSpec(terminal, consoleSize, user, args, newEnv, cwd, capabilities, rlimits, noNewPrivileges);
  }

  /** The value of {@code name} in {@link #env()}, the last entry winning as in the kernel's {@code execve}. */
  public Optional<String> envValue(String name) {
    return envValue(env, name);
  }

  /** The value of {@code name} in {@code KEY=value} entries, the last entry winning. */
  public static Optional<String> envValue(List<String> env, String name) {
    String prefix = name + "=";
    String found = null;
    for (String e : env) {
      if (e.startsWith(prefix)) {
        found = e.substring(prefix.length());
      }
    }
    return Optional.ofNullable(found);
  }

  /** The {@code consoleSize} object. */
  @JsonPropertyOrder({"height", "width"})
  public record Box(@JsonProperty("height") int height, @JsonProperty("width") int width) {
  }

  /** The {@code user} object. */
  @JsonPropertyOrder({"uid", "gid", "additionalGids"})
  public record User(
      @JsonProperty("uid") long uid,
      @JsonProperty("gid") long gid,
      @JsonProperty("additionalGids") @JsonInclude(Include.NON_EMPTY) List<Long> additionalGids) {

    /** Copies the list. */
    public User {
      additionalGids = List.copyOf(additionalGids);
    }

    /** A user with no additional groups. */
    public User(long uid, long gid) {
      this(uid, gid, List.of());
    }
  }

  /** The {@code capabilities} object. */
  @JsonPropertyOrder({"bounding", "effective", "inheritable", "permitted", "ambient"})
  @JsonInclude(Include.NON_EMPTY)
  public record Capabilities(
      @JsonProperty("bounding") List<String> bounding,
      @JsonProperty("effective") List<String> effective,
      @JsonProperty("inheritable") List<String> inheritable,
      @JsonProperty("permitted") List<String> permitted,
      @JsonProperty("ambient") List<String> ambient) {

    /** Copies the lists. */
    public Capabilities {
      bounding = List.copyOf(bounding);
      effective = List.copyOf(effective);
      inheritable = List.copyOf(inheritable);
      permitted = List.copyOf(permitted);
      ambient = List.copyOf(ambient);
    }
  }

  /** One entry of {@code rlimits}. */
  @JsonPropertyOrder({"type", "hard", "soft"})
  public record Rlimit(@JsonProperty("type") String type, @JsonProperty("hard") long hard,
      @JsonProperty("soft") long soft) {
  }
}
