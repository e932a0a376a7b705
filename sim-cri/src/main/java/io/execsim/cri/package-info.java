/**
 * containerd as the kubelet and {@code ctr} reach it: its container store, its task client toward the shim, and the
 * CRI plugin's exec path ({@code Exec}, {@code ExecSync}, and the streaming runtime behind the streaming server).
 */
@NullMarked
package io.execsim.cri;

import org.jspecify.annotations.NullMarked;
