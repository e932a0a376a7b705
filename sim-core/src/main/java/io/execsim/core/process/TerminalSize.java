package io.execsim.core.process;

/**
 * The size of a pseudo-terminal, as a resize message carries it.
 *
 * @param width columns
 * @param height rows
 */
public record TerminalSize(int width, int height) {
}
