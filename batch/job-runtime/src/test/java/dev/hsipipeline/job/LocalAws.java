package dev.hsipipeline.job;

import dev.hsipipeline.local.aws.LocalS3;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Test fixture: a real LocalS3 and the job env pointing at it. */
final class LocalAws {
  private LocalAws() {}

  static LocalS3 s3(Path dir, String... buckets) {
    LocalS3 s3 = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir));
    for (String b : buckets) s3.createBucket(b);
    return s3;
  }

  static Map<String, String> env(LocalS3 s3, int attempt) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_BATCH_JOB_ID", "job-123");
    env.put("AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("DATA_BUCKET", "hsi-data");
    env.put(JobEnv.FAULT_INJECTION, "true"); // as the local stack sets it
    return env;
  }
}
