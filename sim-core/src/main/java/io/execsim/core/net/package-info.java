/**
 * The simulated network: links that carry bytes between Netty pipelines through the simulation's scheduler,
 * listeners by address, dialing with the errors a real dial gives, toxics on a link's directions (latency,
 * bandwidth, stall, reset, half-close, slicer, limit data, corruption; see {@link io.execsim.core.net.toxic}), and a
 * front that puts a listener on a real loopback port. The same toxics act on the FIFOs of an exec's stdio ({@link
 * io.execsim.core.net.FifoWay}); {@link io.execsim.core.net.NodeHooks} is where a node's FIFOs and call links are
 * announced to fault injectors.
 */
@NullMarked
package io.execsim.core.net;

import org.jspecify.annotations.NullMarked;
