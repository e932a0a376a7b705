/**
 * The remote command protocol over WebSocket, as the exec chain speaks it: the channel-stream server side of the
 * apiserver's v5 translator and of the legacy kubelet/CRI streaming server (both on golang.org/x/net/websocket),
 * and client-go's WebSocket v5 executor (on gorilla/websocket). Messages carry one channel byte (or character, for
 * the base64 variants) and then the payload; the v5 close signal half-closes a channel.
 *
 * <p>Everything runs on the simulation's scheduler thread; timers go through
 * {@link io.execsim.core.sched.Scheduler#schedule}.
 */
@NullMarked
package io.execsim.core.websocket;

import org.jspecify.annotations.NullMarked;
