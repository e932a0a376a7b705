/** kube-apiserver: pods and the pods/exec subresource. */
@NullMarked
package io.execsim.apiserver;

import org.jspecify.annotations.NullMarked;
