package dev.hsipipeline.local.aws.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local IAM: decides every call to the local AWS servers the way AWS evaluates a request within
 * one account — an explicit Deny in any applicable policy wins, else an Allow in the caller's
 * identity-based policies or in the resource's resource-based policy allows, else the call is
 * implicitly denied. Denials carry AWS's message, naming the caller, the action and the resource.
 *
 * <p>It also records which actions each principal asked for (allowed or not), so tests can compare
 * what the code really calls with the actions its policy is meant to grant.
 */
public final class Iam {

  private final Map<String, Principal> byAccessKey;
  private final Map<String, Policy> resourcePolicies;
  private final Map<String, Set<String>> calls = new ConcurrentHashMap<>();

  /**
   * @param principals every known caller (access key ids must be unique)
   * @param resourcePolicies resource-based policies by the ARN of the resource they are attached to
   *     (e.g. {@code arn:aws:s3:::hsi-data} for a bucket policy: it applies to the bucket and its
   *     objects)
   */
  public Iam(List<Principal> principals, Map<String, Policy> resourcePolicies) {
    Map<String, Principal> keys = new LinkedHashMap<>();
    for (Principal p : principals) {
      if (keys.put(p.accessKeyId(), p) != null) {
        throw new IllegalArgumentException("two principals use access key " + p.accessKeyId());
      }
    }
    this.byAccessKey = Map.copyOf(keys);
    this.resourcePolicies = Map.copyOf(resourcePolicies);
  }

  /** The principal signing with this access key id, or null. */
  public Principal principal(String accessKeyId) {
    return accessKeyId == null ? null : byAccessKey.get(accessKeyId);
  }

  /**
   * Authorises one call.
   *
   * @param accessKeyId from the request's signature
   * @param action e.g. {@code states:StartExecution}
   * @param resource the ARN the action acts on ({@code *} for actions without resource-level
   *     permissions)
   * @param context request condition keys (e.g. {@code aws:SecureTransport}); the principal's own
   *     keys ({@code aws:PrincipalArn}, {@code aws:PrincipalAccount}) are added
   */
  public Decision authorize(
      String accessKeyId, String action, String resource, Map<String, String> context) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Principal p = principal(accessKeyId);
    if (p == null) {
      return new Decision(
          false,
          null,
          "The security token included in the request is invalid (unknown access key id '"
              + accessKeyId
              + "')");
    }
    calls.computeIfAbsent(p.name(), k -> ConcurrentHashMap.newKeySet()).add(action);
    if (p.unrestricted()) {
      return Decision.allow(p);
    }
    Map<String, String> ctx = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ctx.putAll(context);
    ctx.put("aws:PrincipalArn", p.arn());
    ctx.put("aws:PrincipalAccount", account(p.arn()));
    Policy resourcePolicy = resourcePolicy(resource);

    if (resourcePolicy != null && matches(resourcePolicy, false, action, resource, p, ctx)) {
      return deny(p, action, resource, "with an explicit deny in a resource-based policy");
    }
    for (Policy policy : p.policies()) {
      if (matches(policy, false, action, resource, p, ctx)) {
        return deny(p, action, resource, "with an explicit deny in an identity-based policy");
      }
    }
    for (Policy policy : p.policies()) {
      if (matches(policy, true, action, resource, p, ctx)) {
        return Decision.allow(p);
      }
    }
    if (resourcePolicy != null && matches(resourcePolicy, true, action, resource, p, ctx)) {
      return Decision.allow(p);
    }
    return deny(
        p, action, resource, "because no identity-based policy allows the " + action + " action");
  }

  /** Every action each principal has asked for so far, by principal name (a sorted copy). */
  public Map<String, Set<String>> calls() {
    Map<String, Set<String>> copy = new TreeMap<>();
    calls.forEach((k, v) -> copy.put(k, new TreeSet<>(v)));
    return copy;
  }

  private Policy resourcePolicy(String resource) {
    for (Map.Entry<String, Policy> e : resourcePolicies.entrySet()) {
      String arn = e.getKey();
      if (resource.equals(arn) || resource.startsWith(arn + "/")) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean matches(
      Policy policy,
      boolean allow,
      String action,
      String resource,
      Principal p,
      Map<String, String> ctx) {
    for (Statement s : policy.statements()) {
      if (s.allow() == allow && s.applies(action, resource, p.arn(), ctx)) {
        return true;
      }
    }
    return false;
  }

  private static Decision deny(Principal p, String action, String resource, String why) {
    return new Decision(
        false,
        p,
        "User: "
            + p.arn()
            + " is not authorized to perform: "
            + action
            + " on resource: "
            + resource
            + " "
            + why);
  }

  private static String account(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length > 4 ? parts[4] : "";
  }
}
