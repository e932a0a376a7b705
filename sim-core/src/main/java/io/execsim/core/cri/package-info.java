/** The contract between the kubelet and its container runtime: the CRI RuntimeService exec calls. */
@NullMarked
package io.execsim.core.cri;

import org.jspecify.annotations.NullMarked;
