package io.execsim.core.net.toxic;

/**
 * A fault on one direction of a simulated link, or on a FIFO of an exec's stdio, as a Toxiproxy toxic is: a value
 * that says what happens to the bytes crossing that way from the moment it starts. A way applies its toxics in the
 * order they were added, each to what the previous one let through. Each kind documents what the peers observe; {@code
 * toString()} is the short text a trace shows.
 */
public sealed interface Toxic permits Latency, Bandwidth, Stall, Reset, HalfClose, Slicer, LimitData, Corrupt {
}
