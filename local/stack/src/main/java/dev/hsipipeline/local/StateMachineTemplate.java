package dev.hsipipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.batch.BatchSettings;
import dev.hsipipeline.local.batch.JobDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values {@code statemachine/pipeline.asl.json} is rendered with, computed the way {@code
 * terraform/stepfunctions.tf} and {@code terraform/locals.tf} compute them for AWS: the queue and
 * job queue ARNs, the data bucket (where jobs write their outcomes, ADR 0166), each job
 * definition's ARN and resources, and the timeouts derived from the Batch timing in {@code
 * terraform/queues.json} and each job definition's retry strategy and attempt duration. {@code
 * LocalStackAgreementTest} (terraform module) checks the two agree.
 */
public final class StateMachineTemplate {

  /**
   * Seconds the execution timeout adds to the longest task timeout: the Choice, the failure record
   * and the Batch API retries (at most 6, at most 60 s apart). Same as {@code locals.tf}.
   */
  public static final long EXECUTION_MARGIN_SECONDS = 900;

  private static final ObjectMapper JSON = new ObjectMapper();

  private StateMachineTemplate() {}

  /**
   * The Batch timing the task timeouts derive from ({@code "batch"} in {@code queues.json}).
   *
   * @param runnableTimeoutSeconds how long a job attempt may wait in RUNNABLE before the job queue
   *     cancels it
   * @param startAllowanceSeconds how long an attempt may take to start (image pull, network)
   */
  public record BatchTiming(int runnableTimeoutSeconds, int startAllowanceSeconds) {

    public BatchTiming {
      if (runnableTimeoutSeconds < 0 || startAllowanceSeconds < 0) {
        throw new IllegalArgumentException(
            "batch timing must not be negative: runnable_timeout_seconds="
                + runnableTimeoutSeconds
                + ", start_allowance_seconds="
                + startAllowanceSeconds);
      }
    }

    /**
     * Reads {@code batch.runnable_timeout_seconds} and {@code batch.start_allowance_seconds}.
     *
     * @throws IllegalArgumentException naming the file and the field that is missing or not a
     *     non-negative integer
     */
    public static BatchTiming fromSettings(Path queuesJson) {
      JsonNode batch;
      try {
        batch = JSON.readTree(Files.readAllBytes(queuesJson)).path("batch");
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + queuesJson + ": " + e.getMessage(), e);
      }
      return new BatchTiming(
          seconds(batch, "runnable_timeout_seconds", queuesJson),
          seconds(batch, "start_allowance_seconds", queuesJson));
    }

    /**
     * The job's Task {@code TimeoutSeconds}: every attempt its retry strategy allows may wait in
     * RUNNABLE, start, then run until its {@code attemptDurationSeconds}.
     *
     * @throws IllegalArgumentException when the definition has no positive {@code
     *     timeout.attemptDurationSeconds}
     */
    public long taskTimeoutSeconds(JobDefinition job) {
      JsonNode duration = job.json().path("timeout").path("attemptDurationSeconds");
      if (!duration.canConvertToLong() || duration.asLong() <= 0) {
        throw new IllegalArgumentException(
            "job definition "
                + job.name()
                + " needs timeout.attemptDurationSeconds (a positive number): the state machine's"
                + " task timeout is derived from it");
      }
      long attempts = Math.max(1, job.json().path("retryStrategy").path("attempts").asLong(1));
      return attempts * (runnableTimeoutSeconds + startAllowanceSeconds + duration.asLong());
    }

    private static int seconds(JsonNode batch, String field, Path file) {
      JsonNode v = batch.path(field);
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
        throw new IllegalArgumentException(
            file + ": batch." + field + " must be a non-negative integer, got " + v);
      }
      return v.asInt();
    }
  }

  /**
   * Every variable the template references.
   *
   * @param queueArnsByRole queue ARN per role ({@code activator}, {@code processor})
   * @param jobQueueArn the Batch job queue's ARN
   * @param dataBucket the data bucket's name (job outcomes live under {@code outcomes/})
   * @param jobs job definitions by name
   * @param timing the Batch timing the timeouts derive from
   */
  public static Map<String, String> variables(
      Map<String, String> queueArnsByRole,
      String jobQueueArn,
      String dataBucket,
      Map<String, JobDefinition> jobs,
      BatchTiming timing) {
    Map<String, String> vars = new LinkedHashMap<>();
    queueArnsByRole.forEach((role, arn) -> vars.put(role + "_queue_arn", arn));
    vars.put("job_queue_arn", jobQueueArn);
    vars.put("data_bucket", dataBucket);
    long longestTask = 0;
    for (JobDefinition def : jobs.values()) {
      String name = def.name();
      vars.put(name + "_job_definition_arn", def.arn());
      vars.put(name + "_vcpu", number(def.vcpus()));
      vars.put(name + "_memory_mib", Integer.toString(def.memoryMib()));
      long timeout = timing.taskTimeoutSeconds(def);
      vars.put(name + "_timeout_seconds", Long.toString(timeout));
      longestTask = Math.max(longestTask, timeout);
    }
    vars.put("execution_timeout_seconds", Long.toString(longestTask + EXECUTION_MARGIN_SECONDS));
    return vars;
  }

  /**
   * The variables {@code ./pipeline up} renders the template with for these settings, derived from
   * the files alone ({@code queues.json}, the job definitions) without starting anything: what
   * {@code ./pipeline validate} checks a template with.
   */
  public static Map<String, String> localVariables(StackSettings settings) {
    Map<String, QueueSpec> queues = QueueSpec.fromSettingsByRole(settings.queuesJson());
    Map<String, String> queueArns = new LinkedHashMap<>();
    Map<String, String> jobVars = new LinkedHashMap<>();
    jobVars.put("data_bucket", settings.dataBucket());
    queues.forEach(
        (role, q) -> {
          queueArns.put(
              role,
              "arn:aws:sqs:" + settings.region() + ":" + settings.accountId() + ":" + q.name());
          jobVars.put(
              role + "_queue_url",
              "http://"
                  + settings.host()
                  + ":"
                  + settings.sqsPort()
                  + "/"
                  + settings.accountId()
                  + "/"
                  + q.name());
        });
    Map<String, JobDefinition> jobs =
        JobDefinition.loadAll(settings.jobsDir(), jobVars, settings.region(), settings.accountId());
    return variables(
        queueArns,
        BatchSettings.jobQueueArn(settings.region(), settings.accountId()),
        settings.dataBucket(),
        jobs,
        BatchTiming.fromSettings(settings.queuesJson()));
  }

  /** Renders the template file like Terraform's {@code templatefile()}. */
  public static String render(Path template, Map<String, String> variables) {
    String text;
    try {
      text = Files.readString(template);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + template + ": " + e.getMessage(), e);
    }
    return TemplateRenderer.render(template.toString(), text, variables);
  }

  /** Terraform renders whole numbers without a decimal point ("1", not "1.0"). */
  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
