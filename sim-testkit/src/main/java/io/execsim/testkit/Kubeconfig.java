package io.execsim.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal kubeconfig that points kubectl and other clients at a simulated apiserver on loopback. */
public final class Kubeconfig {

  private Kubeconfig() {
  }

  /** The kubeconfig text for {@code http://127.0.0.1:<port>}, with {@code namespace} as the context's namespace. */
  public static String text(int port, String namespace) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: execsim\n"
        + "  cluster:\n"
        + "    server: http://127.0.0.1:" + port + "\n"
        + "contexts:\n"
        + "- name: execsim\n"
        + "  context:\n"
        + "    cluster: execsim\n"
        + "    namespace: " + namespace + "\n"
        + "    user: execsim\n"
        + "current-context: execsim\n"
        + "users:\n"
        + "- name: execsim\n"
        + "  user:\n"
        + "    token: execsim\n";
  }

  /** Writes the kubeconfig to {@code file} and returns the file. */
  public static Path write(Path file, int port, String namespace) {
    try {
      Files.writeString(file, text(port, namespace), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
  }
}
