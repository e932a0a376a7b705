package io.execsim.core.websocket;

/**
 * The streams an exec request asked for, from its query ({@code stdin}, {@code stdout}, {@code stderr},
 * {@code tty}). They decide which channels a server reads and writes; the error channel is always written and the
 * resize channel always read.
 *
 * @param stdin whether channel 0 is read
 * @param stdout whether channel 1 is written
 * @param stderr whether channel 2 is written
 * @param tty whether the process has a terminal; the channels do not depend on it
 */
public record RequestedStreams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
}
