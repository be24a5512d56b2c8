package dev.hsipipeline.local.aws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IamTest {
  private static final String ROLE =
      "arn:aws:sts::000000000000:assumed-role/hsi-pipeline-job/local-batch";
  private static final Map<String, String> TLS = Map.of("aws:SecureTransport", "true");

  private static final Policy JOB =
      Policy.parse(
          "job",
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": ["arn:aws:s3:::hsi-data/*"]},
            {"Sid": "Write", "Effect": "Allow", "Action": ["S3:put*"],
             "Resource": "arn:aws:s3:::hsi-data/items/?/*"},
            {"Sid": "NotSecrets", "Effect": "Deny", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::hsi-data/secret/*"},
            {"Sid": "OnlyFromThisAccount", "Effect": "Allow", "Action": "sqs:SendMessage",
             "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalAccount": "000000000000"},
                           "StringNotEqualsIfExists": {"sqs:Tag": "blocked"}}}
          ]}
          """);

  private static final Policy BUCKET =
      Policy.parse(
          "bucket",
          """
          {"Version": "2012-10-17", "Statement": [
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
             "Action": ["s3:*"],
             "Resource": ["arn:aws:s3:::hsi-data", "arn:aws:s3:::hsi-data/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
          ]}
          """);

  private final Iam iam =
      new Iam(
          List.of(
              Principal.role("job", ROLE, "JOBKEY", "secret", List.of(JOB)),
              Principal.operator("arn:aws:iam::000000000000:user/op", "test", "test")),
          Map.of("arn:aws:s3:::hsi-data", BUCKET));

  @Test
  void allowsWhatAStatementGrantsWithWildcardsAndCaseInsensitiveActions() {
    assertTrue(iam.authorize("JOBKEY", "s3:GetObject", "arn:aws:s3:::hsi-data/a/b", TLS).allowed());
    assertTrue(
        iam.authorize("JOBKEY", "s3:PutObject", "arn:aws:s3:::hsi-data/items/7/x.json", TLS)
            .allowed());
    assertFalse(
        iam.authorize("JOBKEY", "s3:PutObject", "arn:aws:s3:::hsi-data/items/77/x.json", TLS)
            .allowed(),
        "? matches exactly one character");
  }

  @Test
  void implicitDenyNamesCallerActionAndResourceLikeAws() {
    Decision d = iam.authorize("JOBKEY", "s3:DeleteObject", "arn:aws:s3:::hsi-data/a", TLS);
    assertFalse(d.allowed());
    assertEquals(
        "User: "
            + ROLE
            + " is not authorized to perform: s3:DeleteObject on resource: arn:aws:s3:::hsi-data/a"
            + " because no identity-based policy allows the s3:DeleteObject action",
        d.message());
  }

  @Test
  void anExplicitDenyWinsOverAnAllow() {
    Decision d = iam.authorize("JOBKEY", "s3:GetObject", "arn:aws:s3:::hsi-data/secret/k", TLS);
    assertFalse(d.allowed());
    assertTrue(d.message().endsWith("with an explicit deny in an identity-based policy"));
  }

  @Test
  void theBucketPolicyDeniesRequestsWithoutSecureTransport() {
    Decision d =
        iam.authorize(
            "JOBKEY",
            "s3:GetObject",
            "arn:aws:s3:::hsi-data/a",
            Map.of("aws:SecureTransport", "false"));
    assertFalse(d.allowed());
    assertTrue(d.message().endsWith("with an explicit deny in a resource-based policy"));
    assertTrue(iam.authorize("JOBKEY", "s3:GetObject", "arn:aws:s3:::hsi-data/a", TLS).allowed());
  }

  @Test
  void conditionsUseTheRequestContextAndNegatedOperatorsAcceptMissingKeys() {
    assertTrue(
        iam.authorize("JOBKEY", "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:q", TLS)
            .allowed());
    assertFalse(
        iam.authorize(
                "JOBKEY",
                "sqs:SendMessage",
                "arn:aws:sqs:us-east-1:000000000000:q",
                Map.of("sqs:Tag", "blocked"))
            .allowed());
  }

  @Test
  void theOperatorMayDoAnythingAndUnknownKeysNothing() {
    assertTrue(iam.authorize("test", "iam:CreateUser", "*", TLS).allowed());
    Decision unknown = iam.authorize("nobody", "s3:GetObject", "arn:aws:s3:::hsi-data/a", TLS);
    assertTrue(unknown.unknownKey());
  }

  @Test
  void recordsWhatEachPrincipalAskedFor() {
    iam.authorize("JOBKEY", "s3:GetObject", "arn:aws:s3:::hsi-data/a", TLS);
    iam.authorize("JOBKEY", "s3:DeleteObject", "arn:aws:s3:::hsi-data/a", TLS);
    assertEquals(java.util.Set.of("s3:GetObject", "s3:DeleteObject"), iam.calls().get("job"));
  }

  @Test
  void refusesConditionOperatorsItCannotEvaluateExactly() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Policy.parse(
                    "p",
                    """
                    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                     "Resource": "*",
                     "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "x*"}}}}
                    """));
    assertTrue(e.getMessage().contains("ForAnyValue:StringLike"), e.getMessage());
  }
}
