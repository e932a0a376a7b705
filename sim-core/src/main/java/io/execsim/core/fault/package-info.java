/**
 * Faults as values: where a fault acts ({@link io.execsim.core.fault.Target}), what it does
 * ({@link io.execsim.core.fault.Effect}, grouped by the kind of target), when it fires
 * ({@link io.execsim.core.fault.Trigger}) and for how long, gathered in a
 * {@link io.execsim.core.fault.FaultPlan} that prints as text and parses back.
 *
 * <p>A plan is written one fault a line, target first:
 * <pre>{@code
 * kubelet restart at phase process-running
 * link apiserver-kubelet toward-client latency 200ms jitter 50ms at time 0s for 10s
 * mount /tmp full inodes at phase task-exec
 * runc fails-to-start ENOSPC pid-file at call 1
 * process killed SIGKILL at phase output-flowing
 * }</pre>
 * The grammar in full is in {@link io.execsim.core.fault.FaultPlan}. Every value checks its rules when it is built,
 * and parsing checks the same rules, naming the line and column that break one. This package holds no injection:
 * the hops read the plan and act on it.
 */
@NullMarked
package io.execsim.core.fault;

import org.jspecify.annotations.NullMarked;
