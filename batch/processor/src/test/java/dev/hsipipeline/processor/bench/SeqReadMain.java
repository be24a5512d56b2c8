package dev.hsipipeline.processor.bench;

import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.JobRunner;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;

/**
 * The I/O floor as a fresh JVM, like the job: one plain GetObject of {@code s3://bucket/key}
 * read in 1 MiB chunks and discarded. Prints {@code seqReadMBs=<x> … peakRssKiB=<y> cpuMs=<z>} (whole-process CPU time).
 * Env as for the jobs (AWS_ENDPOINT_URL_S3, credentials).
 */
public final class SeqReadMain {
    private SeqReadMain() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime(), n = 0;
        byte[] buf = new byte[1 << 20];
        try (S3Client s3 = AwsClients.s3(JobEnv.from(System.getenv()));
             InputStream in = s3.getObject(b -> b.bucket(args[0]).key(args[1]))) {
            long t1 = System.nanoTime();
            for (int r; (r = in.read(buf)) > 0; ) n += r;
            double s = (System.nanoTime() - t1) / 1e9;
            long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
            System.out.printf(java.util.Locale.ROOT, "seqReadMBs=%.1f bytes=%d firstByteMs=%d peakRssKiB=%d cpuMs=%d%n",
                    n / 1e6 / s, n, (t1 - t0) / 1_000_000, JobRunner.peakRssKiB(), cpuMs);
        }
    }
}
