package io.execsim.core.net.toxic;

/**
 * Holds every byte, and the end of the stream, until the toxic is removed; then everything held flows on in order.
 * This is Toxiproxy's {@code timeout} toxic with a timeout of zero.
 *
 * <p>The receiving peer reads nothing more while it lasts, as behind a path that silently drops every segment;
 * its own read deadlines and keep-alives decide what happens. The sender notices nothing.
 */
public record Stall() implements Toxic {

  @Override
  public String toString() {
    return "stall";
  }
}
