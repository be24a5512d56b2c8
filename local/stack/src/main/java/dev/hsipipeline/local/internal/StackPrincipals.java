package dev.hsipipeline.local.internal;

import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.batch.BatchRunner;
import dev.hsipipeline.local.batch.JobDefinition;
import dev.hsipipeline.local.iam.LocalIam;
import dev.hsipipeline.local.integrations.S3GetObjectTask;
import dev.hsipipeline.local.integrations.TaskRouter;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the local stack's components are: every principal's policy rendered from {@code
 * terraform/policies} as Terraform does (ADR 0120), the credentials each job runs with, and the
 * check CreateStateMachine makes of the state machine's role.
 */
public final class StackPrincipals {

  private static final Logger LOG = LoggerFactory.getLogger(StackPrincipals.class);

  private StackPrincipals() {}

  /**
   * The principals and their rendered policies. Only ARNs are needed, and every local ARN is known
   * before any server starts (job definition names come from the raw files).
   */
  public static LocalIam load(
      StackSettings settings, Map<String, QueueSpec> queues, LocalIam.Credentials operator) {
    String region = settings.region();
    String account = settings.accountId();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("partition", "aws");
    vars.put("region", region);
    vars.put("account_id", account);
    queues.forEach(
        (role, q) ->
            vars.put(
                role + "_queue_arn", "arn:aws:sqs:" + region + ":" + account + ":" + q.name()));
    vars.put("state_machine_name", StackSettings.STATE_MACHINE_NAME);
    vars.put(
        "state_machine_arn",
        "arn:aws:states:"
            + region
            + ":"
            + account
            + ":stateMachine:"
            + StackSettings.STATE_MACHINE_NAME);
    String bucketArn = "arn:aws:s3:::" + settings.dataBucket();
    vars.put("data_bucket_arn", bucketArn);
    vars.put("payload_prefix", "payloads/");
    vars.put(
        "trigger_log_group_arn",
        "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/lambda/sfn-trigger");
    vars.put("job_queue_arn", "arn:aws:batch:" + region + ":" + account + ":job-queue/local");
    vars.put("scene_object_arns_json", "[\"" + bucketArn + "/*\"]");
    vars.put("scene_bucket_arns_json", "[\"" + bucketArn + "\"]");
    List<String> jobsWithPolicies = new ArrayList<>();
    for (Map.Entry<String, String> job : JobDefinition.names(settings.jobsDir()).entrySet()) {
      vars.put(
          job.getKey() + "_job_definition_arn_prefix",
          "arn:aws:batch:" + region + ":" + account + ":job-definition/" + job.getValue());
      if (hasPolicy(settings, "job-" + job.getKey())) {
        jobsWithPolicies.add(job.getKey());
      } else {
        LOG.warn(
            "job {} has no {}: it runs with the operator's credentials, unchecked",
            job.getKey(),
            settings.policiesDir().resolve("job-" + job.getKey() + ".json"));
      }
    }
    return LocalIam.load(settings.policiesDir(), vars, jobsWithPolicies, account, operator);
  }

  /** Each job definition's role credentials; a job without a policy file runs as the operator. */
  public static Map<String, Map<String, String>> jobRoleEnvironment(
      StackSettings settings, LocalIam iam, Map<String, JobDefinition> jobDefinitions) {
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (JobDefinition def : jobDefinitions.values()) {
      // batch/<job>/target/<job>.jar: the folder names the job and its policy.
      String principal = "job-" + def.jar().getParent().getParent().getFileName();
      env.put(
          def.name(),
          hasPolicy(settings, principal)
              ? iam.credentials(principal).environment()
              : iam.credentials(LocalIam.OPERATOR).environment());
    }
    return env;
  }

  /**
   * What CreateStateMachine checks for a {@code .sync} Batch task: that the role may manage the
   * EventBridge rule Step Functions watches jobs with.
   */
  public static void checkSyncIntegrationRule(
      StackSettings settings, LocalIam iam, String definition) {
    if (!definition.contains(BatchRunner.SUBMIT_JOB_SYNC)) {
      return;
    }
    String rule =
        "arn:aws:events:"
            + settings.region()
            + ":"
            + settings.accountId()
            + ":rule/StepFunctionsGetEventsForBatchJobsRule";
    for (String action : List.of("events:PutTargets", "events:PutRule", "events:DescribeRule")) {
      var d = iam.authorize(LocalIam.STATE_MACHINE, action, rule);
      if (!d.allowed()) {
        throw new IllegalStateException(
            "CreateStateMachine: AccessDeniedException: '"
                + iam.roleArn(LocalIam.STATE_MACHINE)
                + "' is not authorized to create managed-rule. ("
                + d.message()
                + ")");
      }
    }
  }

  private static boolean hasPolicy(StackSettings settings, String principal) {
    return Files.isRegularFile(settings.policiesDir().resolve(principal + ".json"));
  }

  /**
   * The Task integrations the state machine runs: Batch, and the job-outcome read from S3, which
   * signs as the state machine's role so the local S3 checks its policy (ADR 0166).
   */
  public static TaskRouter stateMachineTasks(
      BatchRunner batch,
      URI s3Endpoint,
      StackSettings settings,
      LocalIam iam,
      List<AutoCloseable> toClose) {
    LocalIam.Credentials role = iam.credentials(LocalIam.STATE_MACHINE);
    S3GetObjectTask s3GetObject =
        S3GetObjectTask.connect(
            s3Endpoint, settings.region(), role.accessKeyId(), role.secretAccessKey());
    toClose.add(s3GetObject);
    return TaskRouter.of(
        Map.of("arn:aws:states:::batch:", batch, S3GetObjectTask.RESOURCE, s3GetObject));
  }
}
