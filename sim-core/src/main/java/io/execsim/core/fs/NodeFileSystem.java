package io.execsim.core.fs;

import io.execsim.core.error.Errno;
import io.execsim.core.error.PathError;
import io.execsim.core.io.ByteSink;
import io.execsim.core.io.ByteSource;
import io.execsim.core.io.Pipe;
import io.execsim.core.sched.Scheduler;
import io.execsim.core.sched.SimRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The file system of a simulated node: directories, regular files, FIFOs and socket files under mounts that each
 * have a capacity in bytes and in inodes. Operations fail as the Linux calls behind Go's {@code os} package fail,
 * with {@link PathError}s whose texts are Go's: running out of inodes fails the create ({@code open ...: no space
 * left on device}), running out of blocks fails the write ({@code write ...: no space left on device}) after
 * writing what fit, and a read-only mount fails every change ({@code open ...: read-only file system}).
 *
 * <p>All callers run on the simulation's scheduler; the methods are synchronized so that a test thread may look in.
 * Everything runs as root: permission bits matter only for execution.
 */
public final class NodeFileSystem {
  private final Scheduler scheduler;
  private final Mount rootMount = new Mount("/", MountSpec.unlimited());
  private final Dir root = new Dir(rootMount, 0755);
  private final TreeMap<String, Mount> mounts = new TreeMap<>();
  private int maxOpenFiles = Integer.MAX_VALUE;
  private int openFiles;

  /** An empty file system: one unlimited mount at {@code /}. */
  public NodeFileSystem(Scheduler scheduler) {
    this.scheduler = scheduler;
    rootMount.inodes = 1;
    mounts.put("/", rootMount);
  }

  // ---- mounts

  /** Mounts an empty file system of {@code spec} at {@code path}, creating the directory if needed. */
  public synchronized void mount(String path, MountSpec spec) {
    String p = absolute(path);
    if (mounts.containsKey(p)) {
      throw new IllegalArgumentException("already a mount point: " + p);
    }
    mkdirAll(p, 0755);
    Dir parent = (Dir) lookup(Paths.parent(p), p);
    Mount m = new Mount(p, spec);
    m.inodes = 1;
    Dir fresh = new Dir(m, 0755);
    if (p.equals("/")) {
      throw new IllegalArgumentException("the root mount exists already; remount it instead");
    }
    parent.children.put(Paths.base(p), fresh);
    mounts.put(p, m);
  }

  /** Changes the limits of the mount at {@code path}, keeping what it holds (a full disk is a smaller remount). */
  public synchronized void remount(String path, MountSpec spec) {
    Mount m = mounts.get(absolute(path));
    if (m == null) {
      throw new IllegalArgumentException("not a mount point: " + path);
    }
    m.spec = spec;
  }

  /**
   * Remounts the mount at {@code path} read-only or writable again, keeping what it holds, as
   * {@code mount -o remount,ro} (or {@code rw}) does. While read-only, every change below it (create, write,
   * mkdir, mkfifo, bind, remove, rename) fails with {@code EROFS}, files opened for writing before included, as after
   * a forced or an emergency remount; reads work. Mounts below it keep their own state.
   */
  public synchronized void setReadOnly(String path, boolean readOnly) {
    Mount m = mounts.get(absolute(path));
    if (m == null) {
      throw new IllegalArgumentException("not a mount point: " + path);
    }
    m.spec = m.spec.withReadOnly(readOnly);
  }

  /** The usage of the mount that holds {@code path}. */
  public synchronized MountUsage usage(String path) {
    Mount m = mountOf(absolute(path));
    return new MountUsage(m.path, m.spec, m.blocks * MountSpec.BLOCK_SIZE, m.inodes);
  }

  /** Every mount, by path. */
  public synchronized List<MountUsage> mounts() {
    List<MountUsage> out = new ArrayList<>();
    for (Mount m : mounts.values()) {
      out.add(new MountUsage(m.path, m.spec, m.blocks * MountSpec.BLOCK_SIZE, m.inodes));
    }
    return out;
  }

  /** Limits the files and FIFO ends open at once on the node; past it opens fail with {@code EMFILE}. */
  public synchronized void setMaxOpenFiles(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative: " + max);
    }
    maxOpenFiles = max;
  }

  /** The files and FIFO ends open now. */
  public synchronized int openFiles() {
    return openFiles;
  }

  /** A view of the tree below {@code root}, as a container sees its root file system. */
  public FileSystemView view(String root) {
    return new FileSystemView(this, absolute(root));
  }

  // ---- operations, each as Go's os package names them

  /** Creates a directory, as {@code os.Mkdir}. */
  public synchronized void mkdir(String path, int mode) {
    mkdir(absolute(path), path, mode);
  }

  synchronized void mkdir(String p, String shown, int mode) {
    Dir parent = parentDir(p, shown, "mkdir");
    String name = Paths.base(p);
    if (parent.children.containsKey(name)) {
      throw new PathError("mkdir", shown, Errno.EEXIST);
    }
    parent.children.put(name, new Dir(allocate(parent.mount, "mkdir", shown), mode));
  }

  /** Creates a directory and any missing parents, as {@code os.MkdirAll}. */
  public synchronized void mkdirAll(String path, int mode) {
    mkdirAll(absolute(path), path, mode);
  }

  synchronized void mkdirAll(String p, String shown, int mode) {
    Dir d = root;
    StringBuilder at = new StringBuilder();
    for (String e : Paths.elements(p)) {
      at.append('/').append(e);
      Inode next = d.children.get(e);
      if (next == null) {
        String here = shownPrefix(shown, p, at.toString());
        Dir created = new Dir(allocate(d.mount, "mkdir", here), mode);
        d.children.put(e, created);
        next = created;
      }
      if (!(next instanceof Dir)) {
        throw new PathError("mkdir", shownPrefix(shown, p, at.toString()), Errno.ENOTDIR);
      }
      d = (Dir) next;
    }
  }

  /** Opens a file, as {@code os.OpenFile}; FIFOs are opened with {@link #openFifoReader} and friends. */
  public synchronized FileHandle open(String path, Set<OpenFlag> flags, int mode) {
    return open(absolute(path), path, flags, mode);
  }

  synchronized FileHandle open(String p, String shown, Set<OpenFlag> flags, int mode) {
    boolean writing = flags.contains(OpenFlag.WRITE);
    Dir parent = parentDir(p, shown, "open");
    String name = Paths.base(p);
    Inode existing = parent.children.get(name);
    if (existing != null && flags.contains(OpenFlag.CREATE) && flags.contains(OpenFlag.EXCLUSIVE)) {
      throw new PathError("open", shown, Errno.EEXIST);
    }
    if (existing == null && !flags.contains(OpenFlag.CREATE)) {
      throw new PathError("open", shown, Errno.ENOENT);
    }
    if (existing instanceof Dir && writing) {
      throw new PathError("open", shown, Errno.EISDIR);
    }
    if (existing instanceof FifoNode) {
      throw new IllegalArgumentException("open a FIFO with openFifoReader or openFifoWriter: " + shown);
    }
    // open(2) of a unix socket's file fails; only connect(2) reaches the socket
    if (existing instanceof SocketNode) {
      throw new PathError("open", shown, Errno.ENXIO);
    }
    Mount m = existing == null ? parent.mount : existing.mount;
    if ((writing || existing == null) && m.spec.readOnly()) {
      throw new PathError("open", shown, Errno.EROFS);
    }
    if (openFiles >= maxOpenFiles) {
      throw new PathError("open", shown, Errno.EMFILE);
    }
    RegularFile f;
    if (existing == null) {
      f = new RegularFile(allocate(parent.mount, "open", shown), mode);
      parent.children.put(name, f);
    } else if (existing instanceof Dir) {
      throw new PathError("read", shown, Errno.EISDIR);
    } else {
      f = (RegularFile) existing;
    }
    if (flags.contains(OpenFlag.TRUNCATE) && writing) {
      f.truncate();
    }
    openFiles++;
    return new FileHandle(this, f, shown, flags);
  }

  /** Creates a new file {@code dir/prefix<digits>} opened for writing, as {@code os.CreateTemp}. */
  public synchronized FileHandle createTemp(String dir, String prefix, SimRandom random) {
    for (int tries = 0; ; tries++) {
      String shown = Paths.join(dir, prefix + random.tempSuffix());
      try {
        return open(shown, EnumSet.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE), 0600);
      } catch (PathError e) {
        if (e.errno() != Errno.EEXIST || tries > 10_000) {
          throw e;
        }
      }
    }
  }

  /** Creates a new directory {@code dir/prefix<digits>}, as {@code os.MkdirTemp}; returns its path. */
  public synchronized String mkdirTemp(String dir, String prefix, SimRandom random) {
    for (int tries = 0; ; tries++) {
      String shown = Paths.join(dir, prefix + random.tempSuffix());
      try {
        mkdir(shown, 0700);
        return shown;
      } catch (PathError e) {
        if (e.errno() != Errno.EEXIST || tries > 10_000) {
          throw e;
        }
      }
    }
  }

  /** Writes a whole file, creating or truncating it, as {@code os.WriteFile}. */
  public synchronized void writeFile(String path, byte[] data, int mode) {
    writeFile(absolute(path), path, data, mode);
  }

  synchronized void writeFile(String p, String shown, byte[] data, int mode) {
    try (FileHandle h = open(p, shown, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.TRUNCATE), mode)) {
      h.write(data);
    }
  }

  /** Reads a whole file, as {@code os.ReadFile}. */
  public synchronized byte[] readFile(String path) {
    return readFile(absolute(path), path);
  }

  synchronized byte[] readFile(String p, String shown) {
    Inode n = lookup(p, shown, "open");
    if (n instanceof Dir) {
      throw new PathError("read", shown, Errno.EISDIR);
    }
    if (n instanceof FifoNode) {
      throw new IllegalArgumentException("read a FIFO with openFifoReader: " + shown);
    }
    if (n instanceof SocketNode) {
      throw new PathError("open", shown, Errno.ENXIO);
    }
    RegularFile f = (RegularFile) n;
    return Arrays.copyOf(f.data, f.size);
  }

  /** Describes a file, as {@code os.Stat}. */
  public synchronized FileInfo stat(String path) {
    return stat(absolute(path), path);
  }

  synchronized FileInfo stat(String p, String shown) {
    Inode n = lookup(p, shown, "stat");
    return new FileInfo(shown, n.type(), n.mode, n instanceof RegularFile ? ((RegularFile) n).size : 0);
  }

  /** Whether {@code path} names a file of any type. */
  public synchronized boolean exists(String path) {
    return find(absolute(path)).isPresent();
  }

  /** The names in a directory, sorted, as {@code os.ReadDir} lists them. */
  public synchronized List<String> list(String path) {
    return list(absolute(path), path);
  }

  synchronized List<String> list(String p, String shown) {
    Inode n = lookup(p, shown, "open");
    if (!(n instanceof Dir)) {
      throw new PathError("readdirent", shown, Errno.ENOTDIR);
    }
    return List.copyOf(((Dir) n).children.keySet());
  }

  /** Every path at and below {@code path}, sorted; empty if it does not exist. */
  public synchronized List<String> tree(String path) {
    String p = absolute(path);
    List<String> out = new ArrayList<>();
    find(p).ifPresent(n -> collect(p, n, out));
    return out;
  }

  private static void collect(String p, Inode n, List<String> out) {
    out.add(p);
    if (n instanceof Dir) {
      for (Map.Entry<String, Inode> e : ((Dir) n).children.entrySet()) {
        collect(p.equals("/") ? "/" + e.getKey() : p + "/" + e.getKey(), e.getValue(), out);
      }
    }
  }

  /** Removes a file or an empty directory, as {@code os.Remove}. */
  public synchronized void remove(String path) {
    remove(absolute(path), path);
  }

  synchronized void remove(String p, String shown) {
    Dir parent = parentDir(p, shown, "remove");
    // unlink(2) and rmdir(2) ask for write access to the parent's mount before they look the name up
    if (parent.mount.spec.readOnly()) {
      throw new PathError("remove", shown, Errno.EROFS);
    }
    String name = Paths.base(p);
    Inode n = parent.children.get(name);
    if (n == null) {
      throw new PathError("remove", shown, Errno.ENOENT);
    }
    if (mounts.containsKey(p)) {
      throw new PathError("remove", shown, Errno.EPERM);
    }
    if (n instanceof Dir && !((Dir) n).children.isEmpty()) {
      throw new PathError("remove", shown, Errno.ENOTEMPTY);
    }
    parent.children.remove(name);
    release(n);
  }

  /** Removes a path and everything below it, as {@code os.RemoveAll}; a missing path is no error. */
  public synchronized void removeAll(String path) {
    removeAll(absolute(path), path);
  }

  synchronized void removeAll(String p, String shown) {
    Optional<Inode> n = find(p);
    if (n.isEmpty()) {
      return;
    }
    if (n.get() instanceof Dir) {
      for (String child : List.copyOf(((Dir) n.get()).children.keySet())) {
        removeAll(Paths.join(p, child), Paths.join(shown, child));
      }
    }
    if (!mounts.containsKey(p)) {
      remove(p, shown);
    }
  }

  /**
   * Renames a file within one mount, as {@code os.Rename}; its errors name both paths, as Go's {@code *LinkError}
   * prints them: {@code rename <from> <to>: <errno text>}.
   */
  public synchronized void rename(String from, String to) {
    rename(absolute(from), from, absolute(to), to);
  }

  synchronized void rename(String p, String shown, String q, String shownTo) {
    String both = shown + " " + shownTo;
    Dir fromDir = parentDir(p, both, "rename");
    Dir toDir = parentDir(q, both, "rename");
    if (toDir.mount != fromDir.mount) {
      // TODO: Linux answers EXDEV (invalid cross-device link), which Errno does not name yet
      throw new PathError("rename", both, Errno.EINVAL);
    }
    // rename(2) asks for write access to the mount before it looks the names up
    if (fromDir.mount.spec.readOnly()) {
      throw new PathError("rename", both, Errno.EROFS);
    }
    Inode n = fromDir.children.get(Paths.base(p));
    if (n == null) {
      throw new PathError("rename", both, Errno.ENOENT);
    }
    Inode replaced = toDir.children.put(Paths.base(q), n);
    fromDir.children.remove(Paths.base(p));
    if (replaced != null && replaced != n) {
      release(replaced);
    }
  }

  /** Creates a FIFO, as {@code mkfifo(3)}. */
  public synchronized void mkfifo(String path, int mode) {
    mkfifo(absolute(path), path, mode);
  }

  synchronized void mkfifo(String p, String shown, int mode) {
    Dir parent = parentDir(p, shown, "mkfifo");
    String name = Paths.base(p);
    if (parent.children.containsKey(name)) {
      throw new PathError("mkfifo", shown, Errno.EEXIST);
    }
    parent.children.put(name, new FifoNode(allocate(parent.mount, "mkfifo", shown), mode, new Pipe(scheduler)));
  }

  /**
   * Creates the file of a unix socket, as {@code bind(2)} does for a path; it takes an inode and no blocks. Failures
   * are {@code bind} errors: {@code EADDRINUSE} when the path exists, {@code ENOSPC} without a free inode.
   */
  public synchronized void mksock(String path, int mode) {
    String p = absolute(path);
    Dir parent = parentDir(p, path, "bind");
    String name = Paths.base(p);
    if (parent.children.containsKey(name)) {
      throw new PathError("bind", path, Errno.EADDRINUSE);
    }
    parent.children.put(name, new SocketNode(allocate(parent.mount, "bind", path), mode));
  }

  /** Opens the reading end of a FIFO; reads wait until a writer has opened it. */
  public synchronized ByteSource openFifoReader(String path) {
    Pipe pipe = fifo(absolute(path), path);
    openFiles++;
    ByteSource s = pipe.openReader();
    return new ByteSource() {
      private boolean closed;

      @Override
      public CompletionStage<java.util.Optional<byte[]>> read(int maxBytes) {
        return s.read(maxBytes);
      }

      @Override
      public void close() {
        closeEnd(() -> s.close(), this::markClosed);
      }

      private boolean markClosed() {
        boolean was = closed;
        closed = true;
        return !was;
      }
    };
  }

  /** Opens the writing end of a FIFO; writes wait until a reader has opened it. */
  public synchronized ByteSink openFifoWriter(String path) {
    Pipe pipe = fifo(absolute(path), path);
    openFiles++;
    ByteSink s = pipe.openWriter();
    return new ByteSink() {
      private boolean closed;

      @Override
      public CompletionStage<Void> write(byte[] data) {
        return s.write(data);
      }

      @Override
      public void close() {
        closeEnd(() -> s.close(), this::markClosed);
      }

      private boolean markClosed() {
        boolean was = closed;
        closed = true;
        return !was;
      }
    };
  }

  private synchronized void closeEnd(Runnable close, java.util.function.BooleanSupplier first) {
    if (first.getAsBoolean()) {
      openFiles--;
      close.run();
    }
  }

  private Pipe fifo(String p, String shown) {
    Inode n = lookup(p, shown, "open");
    if (!(n instanceof FifoNode)) {
      throw new IllegalArgumentException("not a FIFO: " + shown);
    }
    if (openFiles >= maxOpenFiles) {
      throw new PathError("open", shown, Errno.EMFILE);
    }
    return ((FifoNode) n).pipe;
  }

  // ---- internals

  synchronized void closed(FileHandle h) {
    openFiles--;
  }

  /** Writes into an open file at {@code offset}; returns the bytes written, throwing after a short write. */
  synchronized int write(RegularFile f, String shown, long offset, byte[] data) {
    if (f.mount.spec.readOnly()) {
      throw new PathError("write", shown, Errno.EROFS);
    }
    long end = offset + data.length;
    long haveBlocks = blocks(f.size);
    long needBlocks = Math.max(haveBlocks, blocks(end));
    long free = f.mount.spec.capacityBlocks() - f.mount.blocks;
    int n = data.length;
    boolean full = needBlocks - haveBlocks > free;
    if (full) {
      long maxEnd = (haveBlocks + Math.max(0, free)) * MountSpec.BLOCK_SIZE;
      n = (int) Math.max(0, Math.min(data.length, maxEnd - offset));
      needBlocks = Math.max(haveBlocks, blocks(offset + n));
    }
    f.mount.blocks += needBlocks - haveBlocks;
    f.put(offset, data, n);
    if (full) {
      throw new PathError("write", shown, Errno.ENOSPC);
    }
    return n;
  }

  private static long blocks(long bytes) {
    return (bytes + MountSpec.BLOCK_SIZE - 1) / MountSpec.BLOCK_SIZE;
  }

  private Mount allocate(Mount m, String op, String shown) {
    if (m.spec.readOnly()) {
      throw new PathError(op, shown, Errno.EROFS);
    }
    if (m.inodes >= m.spec.inodes()) {
      throw new PathError(op, shown, Errno.ENOSPC);
    }
    m.inodes++;
    return m;
  }

  private void release(Inode n) {
    n.mount.inodes--;
    if (n instanceof RegularFile) {
      n.mount.blocks -= blocks(((RegularFile) n).size);
    }
  }

  private Mount mountOf(String p) {
    Mount best = rootMount;
    for (Mount m : mounts.values()) {
      if (p.equals(m.path) || p.startsWith(m.path.endsWith("/") ? m.path : m.path + "/")) {
        if (m.path.length() > best.path.length()) {
          best = m;
        }
      }
    }
    return best;
  }

  private Optional<Inode> find(String p) {
    Inode n = root;
    for (String e : Paths.elements(p)) {
      if (!(n instanceof Dir)) {
        return Optional.empty();
      }
      n = ((Dir) n).children.get(e);
      if (n == null) {
        return Optional.empty();
      }
    }
    return Optional.of(n);
  }

  private Inode lookup(String p, String shown) {
    return lookup(p, shown, "stat");
  }

  private Inode lookup(String p, String shown, String op) {
    Inode n = root;
    for (String e : Paths.elements(p)) {
      if (!(n instanceof Dir)) {
        throw new PathError(op, shown, Errno.ENOTDIR);
      }
      n = ((Dir) n).children.get(e);
      if (n == null) {
        throw new PathError(op, shown, Errno.ENOENT);
      }
    }
    return n;
  }

  private Dir parentDir(String p, String shown, String op) {
    if (p.equals("/")) {
      throw new PathError(op, shown, Errno.EEXIST);
    }
    Inode parent = lookup(Paths.parent(p), shown, op);
    if (!(parent instanceof Dir)) {
      throw new PathError(op, shown, Errno.ENOTDIR);
    }
    return (Dir) parent;
  }

  private static String shownPrefix(String shown, String p, String prefixOfP) {
    // the shown path is p below some root; keep that root's length off the prefix
    int cut = p.length() - shown.length();
    if (cut < 0 || !p.endsWith(shown)) {
      return prefixOfP;
    }
    return prefixOfP.length() > cut ? prefixOfP.substring(cut) : "/";
  }

  private static String absolute(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must be absolute: " + path);
    }
    return Paths.clean(path);
  }

  static final class Mount {
    final String path;
    MountSpec spec;
    long blocks;
    long inodes;

    Mount(String path, MountSpec spec) {
      this.path = path;
      this.spec = spec;
    }
  }

  abstract static class Inode {
    final Mount mount;
    final int mode;

    Inode(Mount mount, int mode) {
      this.mount = mount;
      this.mode = mode;
    }

    abstract FileType type();
  }

  static final class Dir extends Inode {
    final TreeMap<String, Inode> children = new TreeMap<>();

    Dir(Mount mount, int mode) {
      super(mount, mode);
    }

    @Override
    FileType type() {
      return FileType.DIRECTORY;
    }
  }

  static final class RegularFile extends Inode {
    byte[] data = new byte[0];
    int size;

    RegularFile(Mount mount, int mode) {
      super(mount, mode);
    }

    @Override
    FileType type() {
      return FileType.REGULAR;
    }

    void truncate() {
      mount.blocks -= blocks(size);
      data = new byte[0];
      size = 0;
    }

    void put(long offset, byte[] src, int n) {
      int end = (int) offset + n;
      if (end > data.length) {
        data = Arrays.copyOf(data, Math.max(end, data.length * 2));
      }
      System.arraycopy(src, 0, data, (int) offset, n);
      size = Math.max(size, end);
    }
  }

  static final class FifoNode extends Inode {
    final Pipe pipe;

    FifoNode(Mount mount, int mode, Pipe pipe) {
      super(mount, mode);
      this.pipe = pipe;
    }

    @Override
    FileType type() {
      return FileType.FIFO;
    }
  }

  static final class SocketNode extends Inode {
    SocketNode(Mount mount, int mode) {
      super(mount, mode);
    }

    @Override
    FileType type() {
      return FileType.SOCKET;
    }
  }
}
