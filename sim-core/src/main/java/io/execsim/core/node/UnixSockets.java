package io.execsim.core.node;

import io.execsim.core.error.Errno;
import io.execsim.core.error.GoError;
import io.execsim.core.error.PathError;
import io.execsim.core.fs.NodeFileSystem;
import io.execsim.core.fs.Paths;
import io.execsim.core.io.Pty;
import io.execsim.core.rpc.CallServer;
import io.execsim.core.sched.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The unix-domain sockets listening on a node, as far as an exec uses them: a listener bound at a path, whose socket
 * file lives in the node's file system (so a bind fails as the kernel fails it, on a full mount too), and what an
 * exec passes over such a socket: a pseudo-terminal master sent with {@code SCM_RIGHTS}, as runc hands the console
 * to the shim, or calls to a daemon's {@link CallServer}, as ctr calls containerd and containerd calls a shim.
 * Errors carry the texts of Go's {@code net} package. Used on the simulation's thread.
 */
public final class UnixSockets {
  private final NodeFileSystem fs;
  private final Scheduler scheduler;
  private final Map<String, UnixListener> listening = new TreeMap<>();

  UnixSockets(NodeFileSystem fs, Scheduler scheduler) {
    this.fs = fs;
    this.scheduler = scheduler;
  }

  /**
   * Binds a socket at {@code path} and listens on it, as Go's {@code net.ListenUnix}. Fails as it does, e.g.
   * {@code listen unix /tmp/pty1/pty.sock: bind: no space left on device}.
   */
  public synchronized UnixListener listen(String path) {
    String p = Paths.clean(path);
    try {
      // the socket file gets 0777 less the umask 022, as bind(2) creates it
      fs.mksock(p, 0755);
    } catch (PathError e) {
      throw GoError.wrap("listen unix " + path, GoError.wrap("bind", e.errno().error()));
    }
    UnixListener l = new UnixListener(this, fs, scheduler, p, null);
    listening.put(p, l);
    return l;
  }

  /**
   * Binds a socket at {@code path} on which {@code server} takes connections, as a daemon's gRPC or ttrpc server
   * listens. Fails as {@link #listen} does.
   */
  public synchronized UnixListener serve(String path, CallServer<?> server) {
    String p = Paths.clean(path);
    try {
      fs.mksock(p, 0755);
    } catch (PathError e) {
      throw GoError.wrap("listen unix " + path, GoError.wrap("bind", e.errno().error()));
    }
    UnixListener l = new UnixListener(this, fs, scheduler, p, server);
    listening.put(p, l);
    return l;
  }

  /**
   * Connects to the socket at {@code path} and returns the call server listening there, as Go's
   * {@code net.Dial("unix", path)} reaches a daemon. Fails as it does: {@code dial unix <path>: connect: connection
   * refused} when the file is there but nobody listens (the daemon died), {@code no such file or directory} without
   * the file.
   *
   * @throws IllegalArgumentException when what listens there takes no calls
   */
  public synchronized CallServer<?> dial(String path) {
    String p = Paths.clean(path);
    UnixListener l = listening.get(p);
    if (l == null) {
      throw dialError(path, p);
    }
    return l.server().orElseThrow(() -> new IllegalArgumentException("no call server listens at: " + path));
  }

  private GoError dialError(String path, String p) {
    // a file without a listener refuses; no file at all is ENOENT
    Errno errno = p.startsWith("/") && fs.exists(p) ? Errno.ECONNREFUSED : Errno.ENOENT;
    return GoError.wrap("dial unix " + path, GoError.wrap("connect", errno.error()));
  }

  /**
   * Connects to the socket at {@code path} and sends {@code master} over it, as runc dials the console socket and
   * sends the pty with {@code SendFd}. Fails as Go's {@code net.Dial} does, e.g.
   * {@code dial unix /tmp/pty1/pty.sock: connect: no such file or directory}.
   */
  public synchronized void sendMaster(String path, Pty master) {
    String p = Paths.clean(path);
    UnixListener l = listening.get(p);
    if (l == null) {
      throw dialError(path, p);
    }
    l.deliver(master);
  }

  /** The paths listened on now, sorted. */
  public synchronized List<String> listening() {
    return List.copyOf(listening.keySet());
  }

  synchronized void closed(UnixListener l) {
    listening.remove(l.path(), l);
  }
}
