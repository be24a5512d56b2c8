package dev.hsipipeline.local.aws.iam;

import dev.hsipipeline.local.aws.iam.internal.Conditions;
import dev.hsipipeline.local.aws.iam.internal.Glob;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statement of an IAM policy document.
 *
 * @param sid the statement id, or null
 * @param allow true for {@code "Effect": "Allow"}, false for Deny
 * @param actions {@code Action} patterns, or null when the statement uses {@code NotAction}
 * @param notActions {@code NotAction} patterns, or null
 * @param resources {@code Resource} patterns, or null when the statement uses {@code NotResource}
 * @param notResources {@code NotResource} patterns, or null
 * @param principals the {@code Principal} of a resource-based policy ({@code "*"} or ARNs); null in
 *     an identity-based policy
 * @param conditions the {@code Condition} block: operator → key → values
 */
public record Statement(
    String sid,
    boolean allow,
    List<String> actions,
    List<String> notActions,
    List<String> resources,
    List<String> notResources,
    List<String> principals,
    Map<String, Map<String, List<String>>> conditions) {

  public Statement {
    if ((actions == null) == (notActions == null)) {
      throw new IllegalArgumentException(
          "statement " + sid + " needs exactly one of Action and NotAction");
    }
    if ((resources == null) == (notResources == null)) {
      throw new IllegalArgumentException(
          "statement " + sid + " needs exactly one of Resource and NotResource");
    }
    actions = actions == null ? null : List.copyOf(actions);
    notActions = notActions == null ? null : List.copyOf(notActions);
    resources = resources == null ? null : List.copyOf(resources);
    notResources = notResources == null ? null : List.copyOf(notResources);
    principals = principals == null ? null : List.copyOf(principals);
    conditions = Map.copyOf(Objects.requireNonNull(conditions, "conditions"));
    Conditions.check(sid, conditions);
  }

  /**
   * Whether this statement covers the request: the action (case-insensitive, {@code *} and {@code
   * ?} wildcards), the resource (case-sensitive, wildcards), the principal for resource-based
   * policies, and every condition against {@code context}.
   */
  public boolean applies(
      String action, String resource, String principalArn, Map<String, String> context) {
    boolean actionMatches =
        actions != null
            ? actions.stream().anyMatch(p -> Glob.matchesIgnoreCase(p, action))
            : notActions.stream().noneMatch(p -> Glob.matchesIgnoreCase(p, action));
    if (!actionMatches) {
      return false;
    }
    boolean resourceMatches =
        resources != null
            ? resources.stream().anyMatch(p -> Glob.matches(p, resource))
            : notResources.stream().noneMatch(p -> Glob.matches(p, resource));
    if (!resourceMatches) {
      return false;
    }
    if (principals != null
        && principals.stream().noneMatch(p -> p.equals("*") || p.equals(principalArn))) {
      return false;
    }
    return Conditions.matches(conditions, context);
  }
}
