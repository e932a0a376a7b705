package io.execsim.conformance;

/**
 * One way execsim's recording of a scenario differs from the real one, after normalization.
 *
 * @param scenario the scenario's name
 * @param step the result's number, from 1; 0 for what belongs to the whole scenario
 * @param label the step as written, or empty
 * @param field which part differs: {@code stdout}, {@code stderr}, {@code exit}, {@code steps}, {@code leftovers}
 *     or {@code error}
 * @param real the real side's value
 * @param sim execsim's value
 */
public record Difference(String scenario, int step, String label, String field, String real, String sim) {
}
