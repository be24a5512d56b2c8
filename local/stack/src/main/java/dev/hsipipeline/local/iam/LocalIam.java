package dev.hsipipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.TemplateRenderer;
import dev.hsipipeline.local.aws.iam.Decision;
import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.iam.Policy;
import dev.hsipipeline.local.aws.iam.Principal;
import dev.hsipipeline.local.aws.iam.SignatureCheck;
import dev.hsipipeline.local.sfn.ApiAuthorizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The local stack's IAM: one principal per role Terraform deploys — {@code trigger}, {@code
 * state-machine}, {@code job-<job>} — each with its own random credentials and the policy rendered
 * from the same {@code terraform/policies/<principal>.json} Terraform attaches (ADR 0120), the data
 * bucket's resource policy from {@code data-bucket.json}, and the operator (the developer's {@code
 * test}/{@code test} credentials), who may do anything.
 */
public final class LocalIam {

  /** The operator's principal name (CLI, console, tests, any AWS client of the developer). */
  public static final String OPERATOR = "operator";

  /** The trigger Lambda's role (also what its event source mappings poll with). */
  public static final String TRIGGER = "trigger";

  /** The state machine's role. */
  public static final String STATE_MACHINE = "state-machine";

  /** The header by which the console page's Step Functions calls name their caller. */
  public static final String CONSOLE_HEADER = "X-Pipeline-Caller";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Credentials of one principal. */
  public record Credentials(String accessKeyId, String secretAccessKey) {
    /**
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, as a role's process sees them.
     */
    public Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("AWS_ACCESS_KEY_ID", accessKeyId);
      env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
      return env;
    }
  }

  private final Iam iam;
  private final Map<String, Credentials> credentials;
  private final Map<String, String> roleArns;
  private final Map<String, Set<String>> requiredActions;

  private LocalIam(
      Iam iam,
      Map<String, Credentials> credentials,
      Map<String, String> roleArns,
      Map<String, Set<String>> requiredActions) {
    this.iam = iam;
    this.credentials = Map.copyOf(credentials);
    this.roleArns = Map.copyOf(roleArns);
    this.requiredActions = Map.copyOf(requiredActions);
  }

  /**
   * Renders every policy of {@code policiesDir} with {@code vars} (as Terraform's templatefile
   * does) and builds the principals.
   *
   * @param jobs the job names ({@code batch/<job>}): each gets the principal {@code job-<job>}
   * @param accountId the account in role ARNs
   * @param operator the operator's access key id and secret
   * @throws IllegalArgumentException naming the file when a policy is missing, does not render or
   *     is not a policy the local evaluator reads exactly
   */
  public static LocalIam load(
      Path policiesDir,
      Map<String, String> vars,
      List<String> jobs,
      String accountId,
      Credentials operator) {
    List<String> names = new ArrayList<>(List.of(TRIGGER, STATE_MACHINE));
    jobs.forEach(j -> names.add("job-" + j));
    SecureRandom random = new SecureRandom();
    List<Principal> principals = new ArrayList<>();
    Map<String, Credentials> creds = new LinkedHashMap<>();
    Map<String, String> roles = new LinkedHashMap<>();
    for (String name : names) {
      Policy policy = render(policiesDir.resolve(name + ".json"), vars);
      String role = "hsi-pipeline-" + name;
      String session =
          switch (name) {
            case TRIGGER -> "sfn-trigger";
            case STATE_MACHINE -> "local-states";
            default -> "local-batch";
          };
      byte[] secret = new byte[20];
      random.nextBytes(secret);
      Credentials c =
          new Credentials(
              "LOCAL-" + name.toUpperCase(java.util.Locale.ROOT), HexFormat.of().formatHex(secret));
      creds.put(name, c);
      roles.put(name, "arn:aws:iam::" + accountId + ":role/" + role);
      principals.add(
          Principal.role(
              name,
              "arn:aws:sts::" + accountId + ":assumed-role/" + role + "/" + session,
              c.accessKeyId(),
              c.secretAccessKey(),
              List.of(policy)));
    }
    principals.add(
        Principal.operator(
            "arn:aws:iam::" + accountId + ":user/local-operator",
            operator.accessKeyId(),
            operator.secretAccessKey()));
    creds.put(OPERATOR, operator);
    Map<String, Policy> resourcePolicies =
        Map.of(vars.get("data_bucket_arn"), render(policiesDir.resolve("data-bucket.json"), vars));
    return new LocalIam(
        new Iam(principals, resourcePolicies),
        creds,
        roles,
        requiredActions(policiesDir.resolve("required-actions.json")));
  }

  private static Policy render(Path file, Map<String, String> vars) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read policy " + file + ": " + e.getMessage(), e);
    }
    return Policy.parse(file.toString(), TemplateRenderer.render(file.toString(), text, vars));
  }

  private static Map<String, Set<String>> requiredActions(Path file) {
    Map<String, Set<String>> out = new TreeMap<>();
    try {
      JsonNode root = JSON.readTree(file.toFile());
      root.properties()
          .forEach(
              e -> {
                if (e.getValue().isArray()) {
                  Set<String> actions = new TreeSet<>();
                  e.getValue().forEach(a -> actions.add(a.asText()));
                  out.put(e.getKey(), actions);
                }
              });
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The evaluator the local servers share. */
  public Iam iam() {
    return iam;
  }

  /**
   * @throws IllegalArgumentException for an unknown principal
   */
  public Credentials credentials(String principal) {
    Credentials c = credentials.get(principal);
    if (c == null) {
      throw new IllegalArgumentException(
          "no local principal '" + principal + "'; known: " + credentials.keySet());
    }
    return c;
  }

  /** {@code arn:aws:iam::<account>:role/hsi-pipeline-<principal>}. */
  public String roleArn(String principal) {
    return roleArns.get(principal);
  }

  /** The actions each principal's code calls ({@code required-actions.json}). */
  public Map<String, Set<String>> requiredActions() {
    return requiredActions;
  }

  /** Authorises one call of a principal (the stack's own stand-ins for AWS services use it). */
  public Decision authorize(String principal, String action, String resource) {
    return iam.authorize(
        credentials(principal).accessKeyId(),
        action,
        resource,
        Map.of("aws:SecureTransport", "true"));
  }

  /**
   * The Step Functions API's view of this IAM: a request's SigV4 signature is verified with its
   * principal's secret, then the call is authorised.
   */
  public ApiAuthorizer stepFunctionsAuthorizer() {
    SignatureCheck signatures = new SignatureCheck(iam, Clock.systemUTC());
    return new ApiAuthorizer() {
      @Override
      public Denial check(String accessKeyId, String action, String resource) {
        Decision d =
            iam.authorize(accessKeyId, action, resource, Map.of("aws:SecureTransport", "true"));
        return d.allowed() ? null : new Denial(d.unknownKey(), d.message());
      }

      @Override
      public Denial check(Request r, String accessKeyId, String action, String resource) {
        if (accessKeyId == null && r.header().apply(CONSOLE_HEADER).contains("console")) {
          // The console page (same origin, unsigned) acts for the developer, as the AWS console
          // acts for the signed-in user: with the operator's rights, whose keys are no secret.
          return check(credentials(OPERATOR).accessKeyId(), action, resource);
        }
        SignatureCheck.Failure bad =
            signatures.verify(
                new SignatureCheck.Request(
                    r.method(), r.rawPath(), r.rawQuery(), r.header(), r.body()),
                "states");
        return bad != null
            ? new Denial(Denial.Reason.INVALID_SIGNATURE, bad.message())
            : check(accessKeyId, action, resource);
      }
    };
  }
}
