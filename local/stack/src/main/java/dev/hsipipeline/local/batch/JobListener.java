package dev.hsipipeline.local.batch;

import com.fasterxml.jackson.databind.JsonNode;

/** Told about every job status change (the job in DescribeJobs shape, camelCase). */
@FunctionalInterface
public interface JobListener {
  void jobChanged(JsonNode job);
}
