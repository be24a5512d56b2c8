package dev.hsipipeline.processor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.SyntheticScene;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.local.aws.LocalS3;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Processor throughput benchmark (issue 5 "Performance"). For each scene size (int16 BIL, in a
 * real LocalS3) it measures in the same run, against the same object:
 * <ul>
 *   <li>memory copy of the scene's size (System.arraycopy, best of 5): the machine's limit;</li>
 *   <li>warm, in this JVM: a plain sequential GET (1 MiB reads, discarded) — the I/O floor — and
 *       the product engine (stats + ndi) over the job's ranged-GET stream: steady-state ratio;</li>
 *   <li>cold, fresh JVMs like a Batch container: {@link SeqReadMain} (plain GET) and the real
 *       {@code target/processor.jar} (stats + ndi): the job's own "compute" MB/s, wall time and
 *       peak RSS (VmHWM from the job's final log line).</li>
 * </ul>
 * Usage: {@code ProcessorBench [--sizes 512x512x224,512x1024x224] [--repeat 3] [--threads N] [--out file.md]}
 * (see bench/processor/run.sh). Best-of-repeat figures are reported.
 */
public final class ProcessorBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Size(int samples, int lines, int bands) {
        static Size parse(String s) {
            String[] p = s.split("x");
            return new Size(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }

        long bytes() { return (long) samples * lines * bands * 2; }

        @Override
        public String toString() { return samples + "x" + lines + "x" + bands; }
    }

    record Row(Size size, double memcpyMBs, double seqWarmMBs, double engineWarmMBs, double seqColdMBs, long seqColdRssKiB,
               double computeMBs, long wallMs, long peakRssKiB, long seqCpuMs, long jobCpuMs) {}

    public static void main(String[] args) throws Exception {
        List<Size> sizes = new ArrayList<>(List.of(Size.parse("512x512x224"), Size.parse("512x1024x224")));
        int repeat = 3;
        String threads = null;
        Path out = null;
        Path jar = Path.of("batch/processor/target/processor.jar");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> { sizes.clear(); for (String s : args[++i].split(",")) sizes.add(Size.parse(s)); }
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--threads" -> threads = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Files.exists(jar)) throw new IllegalStateException("missing " + jar.toAbsolutePath() + ": build the processor first");
        Path dataDir = Files.createTempDirectory("processor-bench");
        List<Row> rows = new ArrayList<>();
        try (LocalS3 server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir))) {
            server.createBucket("hsi-data");
            Map<String, String> env = env(server, threads);
            try (S3Client s3 = AwsClients.s3(JobEnv.from(env))) {
                for (Size size : sizes) rows.add(measure(size, s3, env, jar, repeat));
            }
        } finally {
            deleteTree(dataDir);
        }
        String report = report(rows, threads);
        System.out.println(report);
        if (out != null) Files.writeString(out, report, StandardCharsets.UTF_8);
    }

    static Map<String, String> env(LocalS3 server, String threads) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_BATCH_JOB_ID", "bench");
        env.put("AWS_BATCH_JOB_ATTEMPT", "1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        env.put("DATA_BUCKET", "hsi-data");
        // what the job definition sets (its JVM flags, ADR 0044)
        env.put("JAVA_TOOL_OPTIONS", jobDefinitionJavaToolOptions());
        if (threads != null) env.put("HSI_THREADS", threads);
        return env;
    }

    static String jobDefinitionJavaToolOptions() {
        try {
            for (JsonNode e : JSON.readTree(Path.of("batch/processor/job-definition.json").toFile()).path("containerProperties").path("environment")) {
                if ("JAVA_TOOL_OPTIONS".equals(e.path("name").asText())) return e.path("value").asText();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read batch/processor/job-definition.json", e);
        }
        return "";
    }

    static Row measure(Size size, S3Client s3, Map<String, String> env, Path jar, int repeat) throws Exception {
        String base = "bench/scene-" + size;
        SyntheticScene scene = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(size.samples(), size.lines(), size.bands())
                .withInterleave(Interleave.BIL).withDataType(DataType.INT16));
        System.err.printf("[bench] %s: generating and uploading %.1f MB%n", size, size.bytes() / 1e6);
        SyntheticScene.Uploaded up = scene.upload(s3, "hsi-data", base);
        String item = "{\"type\":\"Feature\",\"stac_version\":\"1.0.0\",\"id\":\"bench-" + size + "\",\"properties\":{},"
                + "\"assets\":{\"header\":{\"href\":\"" + up.headerUri() + "\"},\"data\":{\"href\":\"" + up.dataUri() + "\"}}}";
        s3.putObject(b -> b.bucket("hsi-data").key("items/bench-" + size + ".json"), RequestBody.fromString(item));
        String event = "{\"item\":\"s3://hsi-data/items/bench-" + size + ".json\",\"products\":[\"stats\",\"ndi\"]}";

        double memcpy = memcpy(size.bytes());
        double seqWarm = 0, engineWarm = 0, seqCold = 0, compute = 0;
        long wallMs = Long.MAX_VALUE, rss = 0, seqRss = 0, seqCpu = Long.MAX_VALUE, jobCpu = Long.MAX_VALUE;
        seqRead(s3, up, size.bytes()); // warm-up: JIT and page cache
        engine(s3, up, scene, env);
        for (int r = 0; r < repeat; r++) {
            seqWarm = Math.max(seqWarm, seqRead(s3, up, size.bytes()));
            engineWarm = Math.max(engineWarm, engine(s3, up, scene, env));
            double[] cold = seqReadChild(env, up);
            seqCold = Math.max(seqCold, cold[0]);
            seqRss = Math.max(seqRss, (long) cold[1]);
            seqCpu = Math.min(seqCpu, (long) cold[2]);
            JobRun run = runJob(jar, env, event);
            compute = Math.max(compute, run.computeMBs());
            wallMs = Math.min(wallMs, run.wallMs());
            rss = Math.max(rss, run.peakRssKiB());
            jobCpu = Math.min(jobCpu, run.cpuMs());
            System.err.printf(Locale.ROOT, "[bench] %s run %d: warm seq %.0f / engine %.0f MB/s; cold seq %.0f / processor.jar compute %.0f MB/s, wall %d ms, peak RSS %d MiB%n",
                    size, r + 1, seqWarm, engineWarm, cold[0], run.computeMBs(), run.wallMs(), run.peakRssKiB() / 1024);
        }
        return new Row(size, memcpy, seqWarm, engineWarm, seqCold, seqRss, compute, wallMs, rss, seqCpu, jobCpu);
    }

    /** The product engine in this (warm) JVM over the same ranged-GET stream the job uses: stats + ndi. */
    static double engine(S3Client s3, SyntheticScene.Uploaded up, SyntheticScene scene, Map<String, String> env) throws Exception {
        S3Store store = new S3Store(s3);
        S3Uri data = S3Uri.parse(up.dataUri());
        int threads = env.containsKey("HSI_THREADS") ? Integer.parseInt(env.get("HSI_THREADS")) : Runtime.getRuntime().availableProcessors();
        ProductOptions o = new ProductOptions(true, ProductOptions.Ndi.DEFAULT, null, threads, ProductOptions.DEFAULT_BLOCK_BYTES);
        long t0 = System.nanoTime();
        CubeProcessor.Result r = CubeProcessor.process(scene.header(), (off, len) -> store.open(data, off, len), o, OutputStream.nullOutputStream());
        return r.bytesRead() / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    /** {@link SeqReadMain} as a child JVM: {MB/s, peak RSS KiB, process CPU ms}. */
    static double[] seqReadChild(Map<String, String> env, SyntheticScene.Uploaded up) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SeqReadMain.class.getName(), up.bucket(), up.dataKey())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("SeqReadMain failed:\n" + out);
        double mbs = Double.parseDouble(out.replaceAll("(?s).*seqReadMBs=([0-9.]+).*", "$1"));
        double rss = Double.parseDouble(out.replaceAll("(?s).*peakRssKiB=([0-9]+).*", "$1"));
        double cpu = Double.parseDouble(out.replaceAll("(?s).*cpuMs=(-?[0-9]+).*", "$1"));
        return new double[] {mbs, rss, cpu};
    }

    static double memcpy(long bytes) {
        byte[] a = new byte[(int) bytes], b = new byte[(int) bytes];
        for (int i = 0; i < a.length; i += 4096) a[i] = (byte) i; // touch pages
        System.arraycopy(a, 0, b, 0, a.length);
        double best = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(a, 0, b, 0, a.length);
            best = Math.max(best, bytes / 1e6 / ((System.nanoTime() - t0) / 1e9));
        }
        if (b[4096] != a[4096]) throw new AssertionError();
        return best;
    }

    static double seqRead(S3Client s3, SyntheticScene.Uploaded up, long bytes) throws Exception {
        byte[] buf = new byte[1 << 20];
        long t0 = System.nanoTime(), n = 0;
        try (InputStream in = s3.getObject(b -> b.bucket(up.bucket()).key(up.dataKey()))) {
            for (int r; (r = in.read(buf)) > 0; ) n += r;
        }
        if (n != bytes) throw new IllegalStateException("read " + n + " of " + bytes + " bytes");
        return n / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    record JobRun(double computeMBs, long wallMs, long peakRssKiB, long cpuMs) {}

    static JobRun runJob(Path jar, Map<String, String> env, String event) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("processor-bench", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), event).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) { p.destroyForcibly(); throw new IllegalStateException("processor timed out"); }
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            String output = Files.readString(log);
            if (p.exitValue() != 0) throw new IllegalStateException("processor exited " + p.exitValue() + ":\n" + output);
            double compute = 0;
            long rss = 0, cpu = -1;
            for (String line : output.split("\n")) {
                if (!line.startsWith("{")) continue;
                JsonNode n = JSON.readTree(line);
                if ("compute".equals(n.path("step").asText()) && n.has("mbPerSecond")) compute = n.get("mbPerSecond").asDouble();
                if ("end".equals(n.path("step").asText())) {
                    rss = n.path("peakRssKiB").asLong();
                    cpu = n.path("cpuMs").asLong(-1);
                }
            }
            return new JobRun(compute, wallMs, rss, cpu);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static String report(List<Row> rows, String threads) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Processor benchmark (stats + ndi, int16 BIL, LocalS3), %d cores, HSI_THREADS=%s, load avg %s%n%n",
                Runtime.getRuntime().availableProcessors(), threads == null ? "default" : threads, loadAverage()));
        sb.append("| scene | MB | memcpy MB/s | warm: seq GET MB/s | warm: engine stats+ndi MB/s | warm ratio | cold JVM: seq GET MB/s | cold: processor.jar compute MB/s | cold ratio | processor.jar wall ms | processor.jar peak RSS MiB | seq-read JVM peak RSS MiB | CPU s: seq-read JVM / processor.jar |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %d | %d | %d | %.1f / %.1f |%n",
                    r.size(), r.size().bytes() / 1e6, r.memcpyMBs(), r.seqWarmMBs(), r.engineWarmMBs(), r.engineWarmMBs() / r.seqWarmMBs(),
                    r.seqColdMBs(), r.computeMBs(), r.computeMBs() / r.seqColdMBs(), r.wallMs(), r.peakRssKiB() / 1024, r.seqColdRssKiB() / 1024,
                    r.seqCpuMs() / 1000.0, r.jobCpuMs() / 1000.0));
        }
        return sb.toString();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "n/a";
        }
    }

    static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
