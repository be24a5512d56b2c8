package dev.hsipipeline.bench.internal;

import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.iam.Policy;
import dev.hsipipeline.local.aws.iam.Principal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Benchmark 7: what the SQS front (authorisation and size checks in front of ElasticMQ, ADR 0121)
 * costs the event source mapping's hot path — one ReceiveMessage and one DeleteMessageBatch of a
 * waiting message — measured side by side against ElasticMQ's own endpoint on the same server. The
 * caller is a role with an SQS policy, so every call through the front is evaluated.
 */
public final class SqsFrontBench {
  private SqsFrontBench() {}

  private static final String KEY = "AKIABENCHSQSROLE0001";
  private static final String SECRET = "bench-secret";

  public static Benchmark run(BenchContext ctx) throws Exception {
    int roundTrips = ctx.quick() ? 100 : 400;
    Policy policy =
        Policy.parse(
            "bench-consumer",
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],
             "Resource":"arn:aws:sqs:us-east-1:000000000000:bench-queue"}]}""");
    Iam iam =
        new Iam(
            List.of(
                Principal.role(
                    "consumer",
                    "arn:aws:sts::000000000000:assumed-role/bench/consumer",
                    KEY,
                    SECRET,
                    List.of(policy))),
            Map.of());
    Benchmark b =
        new Benchmark(
            "sqs-front",
            "7. SQS front: receive + delete of one message (ESM hot path)",
            "ms",
            false);
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    try (LocalSqs sqs =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1",
                0,
                "us-east-1",
                "000000000000",
                List.of(new QueueSpec("bench-queue", null, 0, 30, 0, 3600, 3600)),
                null,
                iam))) {
      String url = sqs.queueUrl("bench-queue");
      try (SqsClient front = client(sqs.endpoint());
          SqsClient direct = client(sqs.backendEndpoint())) {
        roundTrips(front, url, roundTrips); // warm both paths before measuring
        roundTrips(direct, url, roundTrips);
        for (int run = 0; run < ctx.runs(); run++) {
          // Alternate, so load changes on the machine hit both variants alike.
          samples
              .computeIfAbsent("through the SQS front (authorised)", k -> new ArrayList<>())
              .add(Stats.median(roundTrips(front, url, roundTrips)));
          samples
              .computeIfAbsent("ElasticMQ directly (no checks)", k -> new ArrayList<>())
              .add(Stats.median(roundTrips(direct, url, roundTrips)));
          ctx.progress("sqs front run " + (run + 1) + "/" + ctx.runs() + " done");
        }
      }
    }
    List<String> labels = new ArrayList<>(samples.keySet());
    b.add(labels.get(0), Benchmark.Kind.OURS, samples.get(labels.get(0)));
    b.add(labels.get(1), Benchmark.Kind.LIMIT, samples.get(labels.get(1)));
    b.note(
        "each sample: the median of "
            + roundTrips
            + " round trips (SendMessage untimed, then ReceiveMessage + DeleteMessageBatch timed)"
            + " with the SDK's URLConnection client, the local stack's own choice");
    return b;
  }

  /** Per round trip: send (untimed), then receive + delete (timed), in milliseconds. */
  private static List<Double> roundTrips(SqsClient c, String url, int n) {
    List<Double> ms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      c.sendMessage(x -> x.queueUrl(url).messageBody("m"));
      long t0 = System.nanoTime();
      List<Message> got =
          c.receiveMessage(x -> x.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
              .messages();
      c.deleteMessageBatch(
          x ->
              x.queueUrl(url)
                  .entries(
                      got.stream()
                          .map(
                              m ->
                                  DeleteMessageBatchRequestEntry.builder()
                                      .id(m.messageId())
                                      .receiptHandle(m.receiptHandle())
                                      .build())
                          .toList()));
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    return ms;
  }

  private static SqsClient client(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
