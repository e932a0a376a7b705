/**
 * Calls between processes over a socket, as gRPC and ttrpc carry them: a server with the process state behind it
 * (running, stopped, gone) and the connections clients made to it, each failing its calls as the client's library
 * fails them when the peer goes away; and the faults of a connection (latency, stall, reset) with the handle a
 * fault injector acts through.
 */
@NullMarked
package io.execsim.core.rpc;

import org.jspecify.annotations.NullMarked;
