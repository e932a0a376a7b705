/**
 * SPDY/3.1 sessions as Kubernetes runs them through moby/spdystream: streams opened with SYN_STREAM and accepted
 * with SYN_REPLY, DATA without flow control, half-close with an empty FIN, RST_STREAM, pings echoed by the peer, and
 * GOAWAY; framed by Netty's {@code SpdyFrameCodec}.
 */
@NullMarked
package io.execsim.core.spdy;

import org.jspecify.annotations.NullMarked;
