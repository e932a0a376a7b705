/**
 * The CRI streaming server inside containerd: the HTTP server behind the one-time {@code /exec/{token}} URLs, its
 * SPDY handshake and stream negotiation, the exec it runs through containerd, and the exit status it writes back.
 */
@NullMarked
package io.execsim.cri.streaming;

import org.jspecify.annotations.NullMarked;
