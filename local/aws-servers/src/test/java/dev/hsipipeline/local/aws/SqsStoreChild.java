package dev.hsipipeline.local.aws;

import java.nio.file.Path;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Child process for the kill -9 test: sends messages, reports, then waits to be killed. */
public final class SqsStoreChild {
  static final int COUNT = 20;

  public static void main(String[] args) throws InterruptedException {
    LocalSqs sqs =
        LocalSqs.start(DurableLocalSqsTest.config(Integer.parseInt(args[1]), Path.of(args[0])));
    String url = sqs.queueUrl("work-queue");
    try (SqsClient client = LocalSqsTest.client(sqs.endpoint())) {
      for (int i = 0; i < COUNT; i++) {
        String body = "m" + i;
        client.sendMessage(b -> b.queueUrl(url).messageBody(body));
      }
    }
    System.out.println("SENT " + url);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private SqsStoreChild() {}
}
