package dev.hsipipeline.local.console;

import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.console.internal.ConsoleConfig;
import dev.hsipipeline.local.console.internal.ConsoleRoutes;
import dev.hsipipeline.local.console.internal.QueueBinding;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local console: a web page showing executions the way the AWS Step Functions console does
 * (list, graph with the path taken, per-state input/output/error, event history, Batch job logs)
 * plus the pipeline's queues (counts, send, DLQ redrive).
 *
 * <p>It is served by the local Step Functions server on the same origin as the Step Functions API
 * ({@code http://127.0.0.1:8083/console/}), so the page calls that API directly; only what that API
 * cannot give (SQS and the local Batch records) goes through a small JSON API under {@code
 * /console/api/}. Everything binds and answers on 127.0.0.1 only.
 */
public final class Console {

  private Console() {}

  /**
   * Mounts the page and its API on the stack's Step Functions server. Called by {@link LocalStack}
   * once its servers run; the stack owns the SQS client the console uses.
   */
  public static void mount(LocalStack stack) {
    List<QueueBinding> queues = new ArrayList<>();
    for (String role : stack.queues().keySet()) {
      queues.add(new QueueBinding(role, stack.queueUrl(role), stack.dlqUrl(role)));
    }
    ConsoleRoutes.install(
        stack.stepFunctions()::addHttpContext,
        new ConsoleConfig(stack.sqsClient(), queues, stack.dataDir()));
    // The Products view reads the STAC catalog; the client lives as long as the stack's server
    // (the URL-connection client holds no threads).
    S3Client s3 =
        S3Client.builder()
            .endpointOverride(stack.s3Endpoint())
            .forcePathStyle(true)
            .region(Region.of(stack.settings().region()))
            .credentialsProvider(LocalStack.credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    ConsoleRoutes.installCatalog(
        stack.stepFunctions()::addHttpContext, s3, stack.settings().dataBucket());
  }
}
