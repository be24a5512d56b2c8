package dev.hsipipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.aws.iam.Decision;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.util.UUID;

/**
 * The state machine's role in front of the local Batch: a {@code batch:submitJob(.sync)} Task runs
 * only when the state machine's policy allows {@code batch:SubmitJob} on the job queue and the job
 * definition (and, for {@code .sync}, {@code batch:DescribeJobs}, which Step Functions polls with).
 * A denial fails the task as Step Functions reports a Batch API error: {@code
 * Batch.AWSBatchException} with AWS's AccessDenied text as cause.
 */
public final class AuthorizingTaskInvoker implements TaskInvoker {

  private final TaskInvoker delegate;
  private final LocalIam iam;
  private final String region;
  private final String accountId;

  public AuthorizingTaskInvoker(
      TaskInvoker delegate, LocalIam iam, String region, String accountId) {
    this.delegate = delegate;
    this.iam = iam;
    this.region = region;
    this.accountId = accountId;
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation)
      throws TaskFailedException, InterruptedException {
    String resource = invocation.resource();
    if (resource.startsWith("arn:aws:states:::batch:submitJob")) {
      JsonNode p = invocation.parameters();
      String queue = p == null ? "" : p.path("JobQueue").asText("");
      String definition = p == null ? "" : p.path("JobDefinition").asText("");
      if (!queue.isEmpty()) {
        require("batch:SubmitJob", arn("job-queue/", queue));
      }
      if (!definition.isEmpty()) {
        require("batch:SubmitJob", arn("job-definition/", definition));
      }
      if (resource.endsWith(".sync")) {
        require("batch:DescribeJobs", "*");
      }
    }
    return delegate.invoke(invocation);
  }

  private String arn(String type, String nameOrArn) {
    return nameOrArn.startsWith("arn:")
        ? nameOrArn
        : "arn:aws:batch:" + region + ":" + accountId + ":" + type + nameOrArn;
  }

  private void require(String action, String resource) throws TaskFailedException {
    Decision d = iam.authorize(LocalIam.STATE_MACHINE, action, resource);
    if (!d.allowed()) {
      throw new TaskFailedException(
          "Batch.AWSBatchException",
          d.message()
              + " (Service: AWSBatch; Status Code: 403; Error Code: AccessDeniedException;"
              + " Request ID: "
              + UUID.randomUUID()
              + "; Proxy: null)");
    }
  }
}
