/**
 * The simulated network: links that carry bytes between Netty pipelines through the simulation's scheduler,
 * listeners by address, dialing with the errors a real dial gives, toxics on a link's directions (latency,
 * bandwidth, stall, reset, half-close, slicer, limit data, corruption; see {@link io.execsim.core.net.toxic}), and a
 * front that puts a listener on a real loopback port.
 */
@NullMarked
package io.execsim.core.net;

import org.jspecify.annotations.NullMarked;
