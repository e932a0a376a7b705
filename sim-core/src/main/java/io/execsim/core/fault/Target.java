package io.execsim.core.fault;

/**
 * Where a fault acts: a link (in a direction), a component, a mount of the node's file system, the exec's process,
 * or the container it runs in.
 */
public sealed interface Target {
  /** The target as a fault plan writes it, e.g. {@code link apiserver-kubelet toward-client}. */
  String print();

  /** The target in words, for messages. */
  String description();

  /** {@code link} in its default direction: the one way of a FIFO, both ways on the others. */
  static Link link(LinkName link) {
    return new Link(link, link.defaultDirection());
  }

  /** {@code link} in {@code direction}. */
  static Link link(LinkName link, Direction direction) {
    return new Link(link, direction);
  }

  /** The component as a whole. */
  static Component component(ComponentName component) {
    return new Component(component);
  }

  /** The mount of the node's file system at {@code path}. */
  static Mount mount(String path) {
    return new Mount(path);
  }

  /** The process the exec started. */
  static Process process() {
    return new Process();
  }

  /** The container the exec runs in. */
  static Container container() {
    return new Container();
  }

  /**
   * A link, acting on what travels in {@code direction}; a FIFO carries one way only.
   *
   * @param link which link
   * @param direction which way; the FIFO's own way for a FIFO
   */
  record Link(LinkName link, Direction direction) implements Target {
    /** Checks that a FIFO is named in its own direction. */
    public Link {
      if (link.kind() == LinkName.Kind.FIFO && direction != link.defaultDirection()) {
        throw new IllegalArgumentException(
            link.label() + " carries bytes " + link.defaultDirection().label() + " only: " + direction.label());
      }
    }

    @Override
    public String print() {
      return direction == link.defaultDirection()
          ? "link " + link.label()
          : "link " + link.label() + " " + direction.label();
    }

    @Override
    public String description() {
      return "the " + link.kind().description() + " " + link.label();
    }
  }

  /**
   * A component as a whole.
   *
   * @param name which component
   */
  record Component(ComponentName name) implements Target {
    @Override
    public String print() {
      return name.label();
    }

    @Override
    public String description() {
      return name.description();
    }
  }

  /**
   * A mount of the node's file system.
   *
   * @param path the mount point, absolute and normalized, e.g. {@code /tmp} or {@code /run/containerd}
   */
  record Mount(String path) implements Target {
    /** Checks the path. */
    public Mount {
      // a path of the plan's text ends at white space, and a mount point is named one way only
      boolean normal = path.startsWith("/")
          && (path.equals("/") || !path.endsWith("/"))
          && !path.contains("//")
          && !path.matches(".*/\\.\\.?(/.*)?")
          && path.chars().noneMatch(Character::isWhitespace);
      if (!normal) {
        throw new IllegalArgumentException("a mount path must be absolute, normalized and without spaces: " + path);
      }
    }

    @Override
    public String print() {
      return "mount " + path;
    }

    @Override
    public String description() {
      return "the mount " + path;
    }
  }

  /** The process the exec started, as the container's process table holds it. */
  record Process() implements Target {
    @Override
    public String print() {
      return "process";
    }

    @Override
    public String description() {
      return "the process";
    }
  }

  /** The container the exec runs in, all its processes with it. */
  record Container() implements Target {
    @Override
    public String print() {
      return "container";
    }

    @Override
    public String description() {
      return "the container";
    }
  }
}
