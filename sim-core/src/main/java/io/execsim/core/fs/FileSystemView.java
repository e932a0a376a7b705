package io.execsim.core.fs;

import java.util.List;
import java.util.Set;

/**
 * The node's file system as seen from below a root directory, as a container sees its root file system: paths are
 * absolute within the view, cannot climb out of it, and errors name them as the container names them.
 */
public final class FileSystemView {
  private final NodeFileSystem fs;
  private final String root;

  FileSystemView(NodeFileSystem fs, String root) {
    this.fs = fs;
    this.root = root;
  }

  /** The node path of this view's root. */
  public String root() {
    return root;
  }

  /** The node path behind a path of this view. */
  public String hostPath(String path) {
    String p = Paths.clean(requireAbsolute(path));
    return p.equals("/") ? root : Paths.clean(root + p);
  }

  /** As {@link NodeFileSystem#stat}, within the view. */
  public FileInfo stat(String path) {
    return fs.stat(hostPath(path), path);
  }

  /** Whether the path names a file of any type. */
  public boolean exists(String path) {
    return fs.exists(hostPath(path));
  }

  /** As {@link NodeFileSystem#readFile}, within the view. */
  public byte[] readFile(String path) {
    return fs.readFile(hostPath(path), path);
  }

  /** As {@link NodeFileSystem#writeFile}, within the view. */
  public void writeFile(String path, byte[] data, int mode) {
    fs.writeFile(hostPath(path), path, data, mode);
  }

  /** As {@link NodeFileSystem#open}, within the view. */
  public FileHandle open(String path, Set<OpenFlag> flags, int mode) {
    return fs.open(hostPath(path), path, flags, mode);
  }

  /** As {@link NodeFileSystem#list}, within the view. */
  public List<String> list(String path) {
    return fs.list(hostPath(path), path);
  }

  /** As {@link NodeFileSystem#mkdir}, within the view. */
  public void mkdir(String path, int mode) {
    fs.mkdir(hostPath(path), path, mode);
  }

  /** As {@link NodeFileSystem#mkdirAll}, within the view. */
  public void mkdirAll(String path, int mode) {
    fs.mkdirAll(hostPath(path), path, mode);
  }

  /** As {@link NodeFileSystem#remove}, within the view. */
  public void remove(String path) {
    fs.remove(hostPath(path), path);
  }

  private static String requireAbsolute(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must be absolute within the view: " + path);
    }
    return path;
  }
}
