package dev.hsipipeline.local.aws;

import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.iam.Principal;
import dev.hsipipeline.local.aws.internal.AtomicConditionalWrites;
import dev.hsipipeline.local.aws.internal.AuthorizingBlobStore;
import dev.hsipipeline.local.aws.internal.QuietLogging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server (embedded S3Proxy) storing objects as files under a data directory.
 *
 * <p>Without an {@link Iam} any credentials (e.g. {@code test}/{@code test}) and any signature
 * version work. With one, like S3: every request must be signed (SigV4 or V2) with the secret of a
 * known access key, and every operation is authorised against the caller's policies and the
 * bucket's resource-based policy ({@code AccessDenied} with AWS's message otherwise). Clients must
 * use path-style addressing ({@code http://127.0.0.1:9000/bucket/key}), which the AWS SDKs do when
 * an endpoint override is set and {@code forcePathStyle(true)} / {@code AWS_S3_FORCE_PATH_STYLE} is
 * used.
 *
 * <pre>{@code
 * try (LocalS3 s3 = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir.resolve("s3")))) {
 *   s3.createBucket("hsi-data");
 *   URI endpoint = s3.endpoint();
 * }
 * }</pre>
 *
 * Each bucket is a directory of {@code dataDir}; objects are files, so data survives restarts.
 */
public final class LocalS3 implements AutoCloseable {

  /** Default port of the local stack's S3 endpoint. */
  public static final int DEFAULT_PORT = 9000;

  private static final Pattern BUCKET_NAME =
      Pattern.compile("(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]");

  /**
   * Where the server listens and keeps its data.
   *
   * @param host interface to bind; the local stack uses {@code 127.0.0.1} only
   * @param port TCP port, {@code 0} for an ephemeral port (see {@link #endpoint()})
   * @param dataDir directory holding one sub-directory per bucket; created if missing
   * @param iam the callers and policies to enforce, or null for an open server
   */
  public record Config(String host, int port, Path dataDir, Iam iam) {

    /** An open server: no signature check, no authorisation. */
    public Config(String host, int port, Path dataDir) {
      this(host, port, dataDir, null);
    }

    /** Validates host, port range and data directory. */
    public Config {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(dataDir, "dataDir");
      if (host.isBlank()) {
        throw new IllegalArgumentException("S3 host must not be blank");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("S3 port " + port + " is outside [0, 65535]");
      }
    }
  }

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final URI endpoint;
  private final Config config;

  private LocalS3(Config config, S3Proxy proxy, BlobStore blobStore, URI endpoint) {
    this.config = config;
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.endpoint = endpoint;
  }

  /**
   * Starts the server and returns once it accepts connections.
   *
   * @throws IllegalStateException naming host and port when the server cannot start (e.g. the port
   *     is in use)
   */
  public static LocalS3 start(Config config) {
    Objects.requireNonNull(config, "config");
    QuietLogging.apply();
    Path dataDir = config.dataDir().toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create S3 data directory " + dataDir, e);
    }
    // Conditional PUTs (If-Match / If-None-Match) are atomic as on AWS (ADR 0162).
    BlobStore store = new AtomicConditionalWrites(new FilesystemNio2BlobStore(dataDir.toString()));
    Iam iam = config.iam();
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://" + hostForUri(config.host()) + ":" + config.port()))
            .awsAuthentication(
                iam == null ? AuthenticationType.NONE : AuthenticationType.AWS_V2_OR_V4,
                // With an Iam the locator below supplies each caller's secret; these are unused.
                iam == null ? null : "local",
                iam == null ? null : "local")
            .ignoreUnknownHeaders(true)
            .build();
    if (iam != null) {
      // S3Proxy asks for the caller's secret (to check the signature) and storage on every
      // request; an unknown access key gets S3's InvalidAccessKeyId.
      proxy.setBlobStoreLocator(
          (identity, bucket, key) -> {
            Principal p = iam.principal(identity);
            return p == null
                ? null
                : new AccessGrant(
                    p.secretAccessKey(), new AuthorizingBlobStore(store, iam, p.accessKeyId()));
          });
    }
    try {
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "S3Proxy did not reach STARTED, state " + proxy.getState());
        }
        Thread.sleep(5);
      }
    } catch (Exception e) {
      stopQuietly(proxy);
      throw new IllegalStateException(
          "cannot start local S3 on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
          e);
    }
    URI endpoint = URI.create("http://" + hostForUri(config.host()) + ":" + proxy.getPort());
    return new LocalS3(config, proxy, store, endpoint);
  }

  /** The base URL for SDK clients, e.g. {@code http://127.0.0.1:9000}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The port the server listens on (the actual one when the config asked for {@code 0}). */
  public int port() {
    return endpoint.getPort();
  }

  /** The directory holding the buckets. */
  public Path dataDir() {
    return config.dataDir().toAbsolutePath();
  }

  /**
   * Creates a bucket if it does not exist yet (idempotent, like the local stack needs at every
   * start).
   *
   * @throws IllegalArgumentException if the name is not a valid S3 bucket name
   */
  public void createBucket(String name) {
    Objects.requireNonNull(name, "bucket name");
    if (!BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "invalid S3 bucket name '" + name + "': 3-63 characters of a-z 0-9 . -");
    }
    if (!blobStore.containerExists(name)) {
      blobStore.createContainer(name);
    }
  }

  /** Asks the blob store directly, without an S3 request (a check for tests and start-up). */
  public boolean bucketExists(String name) {
    return blobStore.containerExists(name);
  }

  /** Stops the server; stored objects stay in {@link #dataDir()}. */
  @Override
  public void close() {
    stopQuietly(proxy);
    blobStore.close();
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      // Stopping is best effort: the process may be exiting anyway.
    }
  }

  static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
