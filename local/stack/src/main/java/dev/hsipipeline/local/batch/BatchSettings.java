package dev.hsipipeline.local.batch;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the local Batch runner.
 *
 * @param dataDir the stack's data dir; records go to {@code batch/jobs}, logs to {@code
 *     batch/logs}, working dirs to {@code batch/work}
 * @param region region used in ARNs
 * @param accountId account used in ARNs
 * @param vcpuBudget vCPUs available to running jobs at once
 * @param baseEnvironment what every job gets before its definition's environment (endpoints,
 *     credentials, region, bucket, queue URLs) — the local equivalent of the task role and VPC
 * @param javaCommand the {@code java} launcher for job processes (the stack's own JDK)
 * @param killGraceMillis between SIGTERM and SIGKILL when a job is stopped (docker stop's grace)
 * @param sharedArchives whether job JVMs keep an automatic CDS archive per job under {@code
 *     batch/cds} (faster start-up from the second run; like a warm image cache)
 * @param roleEnvironment by job definition name: what the job's role gives its process on top of
 *     the base environment (its own credentials, like the task role's on ECS)
 */
public record BatchSettings(
    Path dataDir,
    String region,
    String accountId,
    double vcpuBudget,
    Map<String, String> baseEnvironment,
    String javaCommand,
    long killGraceMillis,
    boolean sharedArchives,
    Map<String, Map<String, String>> roleEnvironment) {

  /** Settings where every job runs with the base environment's credentials. */
  public BatchSettings(
      Path dataDir,
      String region,
      String accountId,
      double vcpuBudget,
      Map<String, String> baseEnvironment,
      String javaCommand,
      long killGraceMillis,
      boolean sharedArchives) {
    this(
        dataDir,
        region,
        accountId,
        vcpuBudget,
        baseEnvironment,
        javaCommand,
        killGraceMillis,
        sharedArchives,
        Map.of());
  }

  public BatchSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(javaCommand, "javaCommand");
    baseEnvironment = Map.copyOf(baseEnvironment);
    roleEnvironment = Map.copyOf(roleEnvironment);
    if (!(vcpuBudget >= 1)) {
      throw new IllegalArgumentException("vCPU budget must be >= 1, got " + vcpuBudget);
    }
  }

  /** The JDK running this process: jobs run on the same Java as the stack. */
  public static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The ARN of the (only) local job queue. */
  public String jobQueueArn() {
    return jobQueueArn(region, accountId);
  }

  /** The ARN of the (only) local job queue of a stack in this region and account. */
  public static String jobQueueArn(String region, String accountId) {
    return "arn:aws:batch:" + region + ":" + accountId + ":job-queue/local";
  }
}
