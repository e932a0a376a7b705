/**
 * jqwik support: arbitraries of valid fault plans ({@link io.execsim.testkit.jqwik.FaultPlans}) and of
 * {@code kubectl exec} commands ({@link io.execsim.testkit.jqwik.Commands}) that shrink toward the plainest failing
 * case, and {@link io.execsim.testkit.jqwik.ExecSimProperties}, which gives each try of a property a fresh
 * simulated cluster and reports the seed, the plans and the trace of a failing one.
 */
@NullMarked
package io.execsim.testkit.jqwik;

import org.jspecify.annotations.NullMarked;
