/**
 * A worked example of what execsim is for: an operator that injects a chaos experiment into a pod by exec, as
 * chaosblade-operator does. {@link io.execsim.examples.chaos.NaiveOperator} trusts the exec's report and so calls
 * an experiment failed that is in effect; {@link io.execsim.examples.chaos.CarefulOperator} does not. The
 * example's property test finds the first one's bug under generated fault plans and shrinks it to one fault.
 */
@NullMarked
package io.execsim.examples.chaos;

import org.jspecify.annotations.NullMarked;
