package dev.hsipipeline.trigger.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * SDK clients of the trigger, built once from environment variables (the function's own, or the map
 * the local stack passes): {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}, {@code
 * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, {@code
 * AWS_ENDPOINT_URL_SFN}, {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL} and {@code
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}, with the SDK's meaning. An S3 endpoint override switches to
 * path-style addressing (local S3 servers have no virtual-host DNS).
 *
 * @param sfn Step Functions client
 * @param payloads S3 writer for offloaded bodies
 * @param http the shared HTTP client (closed by {@link #close()})
 */
public record AwsClients(SfnClient sfn, S3PayloadStore payloads, SdkHttpClient http)
    implements AutoCloseable {

  /** Attempts per call (1 + 3 retries) for throttling, 5xx and I/O errors. */
  public static final int MAX_ATTEMPTS = 4;

  /** Builds both clients from {@code env}. */
  public static AwsClients fromEnvironment(Map<String, String> env, int maxConcurrency) {
    Region region = region(env);
    AwsCredentialsProvider credentials = credentials(env);
    // HttpURLConnection keeps only http.maxConnections (default 5) idle connections per host, so
    // with more concurrent calls most connections would be closed after one request and
    // re-opened. It is read once per JVM; set it only if nobody has (a Lambda JVM is ours alone).
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(Math.max(5, maxConcurrency)));
    }
    // One JDK HttpURLConnection-based client: no netty/apache/CRT in the artifact, fastest init.
    SdkHttpClient http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(20))
            .build();
    ClientOverrideConfiguration override =
        ClientOverrideConfiguration.builder()
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(MAX_ATTEMPTS)
                    .build())
            .apiCallAttemptTimeout(Duration.ofSeconds(20))
            .build();
    boolean ignoreEndpoints =
        "true"
            .equalsIgnoreCase(env.getOrDefault("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").strip());
    URI sfnEndpoint = ignoreEndpoints ? null : endpoint(env, "AWS_ENDPOINT_URL_SFN");
    URI s3Endpoint = ignoreEndpoints ? null : endpoint(env, "AWS_ENDPOINT_URL_S3");

    // Buffered POSTs avoid the JDK's 1 ms reuse probe of every kept-alive connection (see there).
    var sfn =
        SfnClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClient(new BufferedPostHttpClient(http))
            .overrideConfiguration(override);
    if (sfnEndpoint != null) {
      sfn.endpointOverride(sfnEndpoint);
    }
    S3PayloadStore payloads =
        new S3PayloadStore(http, credentials, region, s3Endpoint, MAX_ATTEMPTS);
    return new AwsClients(sfn.build(), payloads, http);
  }

  @Override
  public void close() {
    sfn.close();
    http.close();
  }

  private static Region region(Map<String, String> env) {
    String r = value(env, "AWS_REGION");
    if (r == null) {
      r = value(env, "AWS_DEFAULT_REGION");
    }
    if (r == null) {
      throw new IllegalArgumentException(
          "AWS_REGION is not set (Lambda sets it; locally use us-east-1)");
    }
    return Region.of(r);
  }

  private static AwsCredentialsProvider credentials(Map<String, String> env) {
    String key = value(env, "AWS_ACCESS_KEY_ID");
    String secret = value(env, "AWS_SECRET_ACCESS_KEY");
    if (key == null && secret == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (key == null || secret == null) {
      throw new IllegalArgumentException(
          (key == null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")
              + " is not set but its partner is: set both or neither");
    }
    // Lambda puts the execution role's session credentials into these variables for the
    // lifetime of the execution environment, so a static provider is correct and cheapest.
    String token = value(env, "AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(
        token == null
            ? AwsBasicCredentials.create(key, secret)
            : AwsSessionCredentials.create(key, secret, token));
  }

  private static URI endpoint(Map<String, String> env, String serviceVariable) {
    String name = serviceVariable;
    String v = value(env, serviceVariable);
    if (v == null) {
      name = "AWS_ENDPOINT_URL";
      v = value(env, name);
    }
    if (v == null) {
      return null;
    }
    try {
      URI uri = new URI(v);
      if (uri.getScheme() == null
          || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new URISyntaxException(v, "expected http(s)://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + " '" + v + "' is not a valid endpoint URL: " + e.getReason(), e);
    }
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
