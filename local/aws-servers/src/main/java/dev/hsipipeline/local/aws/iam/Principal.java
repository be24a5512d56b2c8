package dev.hsipipeline.local.aws.iam;

import java.util.List;
import java.util.Objects;

/**
 * A caller of the local AWS APIs, told apart by its access key id: a role a pipeline component
 * assumes (with the policies Terraform attaches to that role), or the operator, who may do anything
 * (the local stand-in for the account's administrator).
 *
 * @param name short name, e.g. {@code trigger} (also the key of {@link Iam#calls()})
 * @param arn the ARN AWS names in an AccessDenied message, e.g. {@code
 *     arn:aws:sts::000000000000:assumed-role/hsi-pipeline-trigger/sfn-trigger}
 * @param accessKeyId the access key id its requests are signed with
 * @param secretAccessKey the secret (S3 checks request signatures with it)
 * @param policies its identity-based policies
 * @param unrestricted true for the operator: every call is allowed
 */
public record Principal(
    String name,
    String arn,
    String accessKeyId,
    String secretAccessKey,
    List<Policy> policies,
    boolean unrestricted) {

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    policies = List.copyOf(policies);
  }

  /** A principal bound by its policies. */
  public static Principal role(
      String name, String arn, String accessKeyId, String secretAccessKey, List<Policy> policies) {
    return new Principal(name, arn, accessKeyId, secretAccessKey, policies, false);
  }

  /** The operator: every call allowed (what a developer's own admin credentials can do). */
  public static Principal operator(String arn, String accessKeyId, String secretAccessKey) {
    return new Principal("operator", arn, accessKeyId, secretAccessKey, List.of(), true);
  }
}
