/** The kubectl exec client. */
@NullMarked
package io.execsim.kubectl;

import org.jspecify.annotations.NullMarked;
