/**
 * The conformance suite: runtime scenarios kept as data, run on real containerd and runc and on execsim, recorded
 * alike, normalized where the real runtime is random by nature, and compared against a list of known differences.
 */
@NullMarked
package io.execsim.conformance;

import org.jspecify.annotations.NullMarked;
