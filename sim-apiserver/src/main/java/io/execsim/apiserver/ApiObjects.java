package io.execsim.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The JSON objects the apiserver answers with, fields in the order of the Go structs of {@code k8s.io/api} and
 * {@code metav1}, with the defaults the apiserver fills in. Simplified: only the fields kubectl and fabric8 read on
 * the way to an exec, plus the usual defaults; no conditions, IPs or managed fields.
 */
final class ApiObjects {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApiObjects() {
  }

  /** The {@code version.Info} of {@code GET /version}. */
  static ObjectNode version(ApiServerConfig config) {
    ObjectNode o = NODES.objectNode();
    o.put("major", config.major());
    o.put("minor", config.minor());
    int minor = Integer.parseInt(config.minor());
    if (minor >= 33) {
      // compatibility versions are reported from 1.33 on
      o.put("emulationMajor", config.major());
      o.put("emulationMinor", config.minor());
      o.put("minCompatibilityMajor", config.major());
      o.put("minCompatibilityMinor", Integer.toString(minor - 1));
    }
    o.put("gitVersion", config.gitVersion());
    o.put("gitCommit", "0000000000000000000000000000000000000000");
    o.put("gitTreeState", "clean");
    o.put("buildDate", "2026-01-01T00:00:00Z");
    o.put("goVersion", "go1.24.2");
    o.put("compiler", "gc");
    o.put("platform", "linux/amd64");
    return o;
  }

  /** The {@code APIVersions} of {@code GET /api}. */
  static ObjectNode apiVersions(String serverAddress) {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return o;
  }

  /** The empty {@code APIGroupList} of {@code GET /apis}. */
  static ObjectNode apiGroupList() {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "APIGroupList");
    o.put("apiVersion", "v1");
    o.putArray("groups");
    return o;
  }

  /** The {@code APIResourceList} of {@code GET /api/v1}: {@code pods} and {@code pods/exec}. */
  static ObjectNode coreResources() {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "APIResourceList");
    o.put("groupVersion", "v1");
    ArrayNode resources = o.putArray("resources");
    ObjectNode pods = resources.addObject();
    pods.put("name", "pods");
    pods.put("singularName", "pod");
    pods.put("namespaced", true);
    pods.put("kind", "Pod");
    ArrayNode verbs = pods.putArray("verbs");
    List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch").forEach(verbs::add);
    pods.putArray("shortNames").add("po");
    pods.putArray("categories").add("all");
    pods.put("storageVersionHash", "xPOwRZ+Yhw8=");
    ObjectNode exec = resources.addObject();
    exec.put("name", "pods/exec");
    exec.put("singularName", "");
    exec.put("namespaced", true);
    exec.put("kind", "PodExecOptions");
    exec.putArray("verbs").add("create").add("get");
    return o;
  }

  /** A {@code Pod}; {@code withType} adds {@code kind} and {@code apiVersion}, which list items lack. */
  static ObjectNode pod(Pod pod, Instant created, long resourceVersion, boolean withType) {
    ObjectNode o = NODES.objectNode();
    if (withType) {
      o.put("kind", "Pod");
      o.put("apiVersion", "v1");
    }
    String createdAt = rfc3339(created);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", pod.name());
    meta.put("namespace", pod.namespace());
    meta.put("uid", pod.uid());
    meta.put("resourceVersion", Long.toString(resourceVersion));
    meta.put("creationTimestamp", createdAt);
    if (!pod.annotations().isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      pod.annotations().forEach(a::put);
    }
    ObjectNode spec = o.putObject("spec");
    ArrayNode containers = spec.putArray("containers");
    for (PodContainer c : pod.containers()) {
      ObjectNode n = containers.addObject();
      n.put("name", c.name());
      n.put("image", c.image());
      n.putObject("resources");
      n.put("terminationMessagePath", "/dev/termination-log");
      n.put("terminationMessagePolicy", "File");
      n.put("imagePullPolicy", "IfNotPresent");
    }
    spec.put("restartPolicy", "Always");
    spec.put("terminationGracePeriodSeconds", 30);
    spec.put("dnsPolicy", "ClusterFirst");
    spec.put("serviceAccountName", "default");
    spec.put("serviceAccount", "default");
    pod.nodeName().ifPresent(n -> spec.put("nodeName", n));
    spec.putObject("securityContext");
    spec.put("schedulerName", "default-scheduler");
    spec.put("enableServiceLinks", true);
    ObjectNode status = o.putObject("status");
    status.put("phase", pod.phase().value());
    if (pod.nodeName().isPresent() && pod.phase() != PodPhase.PENDING) {
      status.put("startTime", createdAt);
    }
    if (pod.nodeName().isPresent()) {
      ArrayNode statuses = status.putArray("containerStatuses");
      for (PodContainer c : pod.containers()) {
        containerStatus(statuses.addObject(), c, pod.phase(), createdAt);
      }
    }
    status.put("qosClass", "BestEffort");
    return o;
  }

  private static void containerStatus(ObjectNode n, PodContainer c, PodPhase phase, String startedAt) {
    n.put("name", c.name());
    ObjectNode state = n.putObject("state");
    switch (phase) {
      case RUNNING -> state.putObject("running").put("startedAt", startedAt);
      case SUCCEEDED, FAILED -> {
        ObjectNode t = state.putObject("terminated");
        t.put("exitCode", phase == PodPhase.SUCCEEDED ? 0 : 1);
        t.put("reason", phase == PodPhase.SUCCEEDED ? "Completed" : "Error");
        t.put("startedAt", startedAt);
        t.put("finishedAt", startedAt);
      }
      default -> state.putObject("waiting").put("reason", "ContainerCreating");
    }
    n.putObject("lastState");
    n.put("ready", phase == PodPhase.RUNNING);
    n.put("restartCount", 0);
    n.put("image", c.image());
    n.put("imageID", "");
    n.put("started", phase == PodPhase.RUNNING);
  }

  /** A {@code PodList} of {@code items}, each without {@code kind} and {@code apiVersion}. */
  static ObjectNode podList(List<ObjectNode> items, long resourceVersion) {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "PodList");
    o.put("apiVersion", "v1");
    o.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    ArrayNode a = o.putArray("items");
    items.forEach(a::add);
    return o;
  }

  /** A time as {@code metav1.Time} marshals it: RFC 3339 in UTC, whole seconds. */
  static String rfc3339(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
