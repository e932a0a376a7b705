package io.execsim.apiserver;

/**
 * The settings of a simulated apiserver.
 *
 * @param address the {@code host:port} it listens on, e.g. {@code apiserver:6443}
 * @param gitVersion the version it reports, e.g. {@code v1.33.0}
 */
public record ApiServerConfig(String address, String gitVersion) {

  /** {@code apiserver:6443}, reporting {@code v1.33.0}. */
  public static final ApiServerConfig DEFAULT = new ApiServerConfig("apiserver:6443", "v1.33.0");

  /** Checks the version's form. */
  public ApiServerConfig {
    if (!gitVersion.matches("v\\d+\\.\\d+\\.\\d+.*")) {
      throw new IllegalArgumentException("git version must look like v1.33.0: " + gitVersion);
    }
  }

  /** The major version, e.g. {@code 1}. */
  public String major() {
    return gitVersion.substring(1).split("\\.")[0];
  }

  /** The minor version, e.g. {@code 33}. */
  public String minor() {
    return gitVersion.substring(1).split("\\.")[1];
  }
}
