package dev.hsipipeline.local.aws.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hsipipeline.local.aws.iam.Decision;
import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.iam.SignatureCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public SQS endpoint: a loopback HTTP front that does what ElasticMQ does not — verify each
 * request's SigV4 signature with the caller's secret, authorise every call against the caller's IAM
 * policies, and enforce the queue's {@code MaximumMessageSize} and SQS's 1 MiB per batch — and
 * forwards the rest unchanged to ElasticMQ on an internal loopback port. Both SQS protocols are
 * understood: AWS JSON ({@code X-Amz-Target: AmazonSQS.<Action>}, what current SDKs speak) and the
 * query protocol ({@code Action=...}, form-encoded). Errors have the protocol's shape and AWS's
 * codes and messages.
 */
public final class SqsFront implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqsFront.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Largest request accepted: SQS allows 1 MiB of message, which the JSON escapes or the query
   * protocol's percent-encoding of a batch can make several times longer on the wire.
   */
  private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  /** The local endpoints stand for AWS's TLS endpoints (see docs/local.md). */
  private static final Map<String, String> CONTEXT = Map.of("aws:SecureTransport", "true");

  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade");

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI backend;
  private final Iam iam;
  private final SignatureCheck signatures;
  private final String arnPrefix;
  private final ToIntFunction<String> maxMessageBytes;

  /**
   * @param host the loopback address to bind
   * @param port the public port (0 = ephemeral)
   * @param backend ElasticMQ's internal endpoint
   * @param iam callers and policies, or null to authorise nothing
   * @param arnPrefix {@code arn:aws:sqs:<region>:<account>:} (a queue's ARN is this + its name)
   * @param maxMessageBytes the MaximumMessageSize of a queue by name
   */
  public SqsFront(
      String host,
      int port,
      URI backend,
      Iam iam,
      String arnPrefix,
      ToIntFunction<String> maxMessageBytes)
      throws IOException {
    this.backend = backend;
    this.iam = iam;
    this.signatures = iam == null ? null : new SignatureCheck(iam, Clock.systemUTC());
    this.arnPrefix = arnPrefix;
    this.maxMessageBytes = maxMessageBytes;
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
      if (body.length > MAX_REQUEST_BYTES) {
        ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        SqsErrors.send(
            ex,
            target != null && target.startsWith("AmazonSQS."),
            413,
            "RequestEntityTooLarge",
            "com.amazon.coral.service#RequestEntityTooLargeException",
            "Request is larger than " + MAX_REQUEST_BYTES + " bytes");
        return;
      }
      SqsCall call = SqsCall.parse(ex, body);
      if (call != null) {
        check(ex, call, body);
      }
      forward(ex, body);
    } catch (ErrorSent e) {
      LOG.debug("SQS call refused: {}", e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.debug("SQS front: {}", e.toString());
    }
  }

  /** Signals that an error response was already sent. */
  private static final class ErrorSent extends RuntimeException {
    ErrorSent(String message) {
      super(message, null, false, false);
    }
  }

  private static SignatureCheck.Request request(HttpExchange ex, byte[] body) {
    return new SignatureCheck.Request(
        ex.getRequestMethod(),
        ex.getRequestURI().getRawPath(),
        ex.getRequestURI().getRawQuery(),
        name -> ex.getRequestHeaders().getOrDefault(name, List.of()),
        body);
  }

  /**
   * Checks the signature, authorises and size-checks; sends the error and throws {@link ErrorSent}
   * when refused.
   */
  private void check(HttpExchange ex, SqsCall call, byte[] body) throws IOException {
    String queue = call.queueName();
    if (iam != null) {
      SignatureCheck.Failure bad = signatures.verify(request(ex, body), "sqs");
      if (bad != null) {
        SqsErrors.send(
            ex,
            call.json(),
            403,
            bad.code(),
            "com.amazon.coral.service#InvalidSignatureException",
            bad.message());
        throw new ErrorSent(bad.message());
      }
      String resource = queue == null ? arnPrefix + "*" : arnPrefix + queue;
      Decision d =
          iam.authorize(call.accessKeyId(ex), SqsCall.iamAction(call.action()), resource, CONTEXT);
      if (!d.allowed()) {
        if (d.unknownKey()) {
          SqsErrors.send(
              ex,
              call.json(),
              403,
              "InvalidClientTokenId",
              "com.amazon.coral.service#UnrecognizedClientException",
              "The security token included in the request is invalid.");
        } else {
          SqsErrors.send(
              ex,
              call.json(),
              403,
              "AccessDenied",
              "com.amazon.coral.service#AccessDeniedException",
              d.message());
        }
        throw new ErrorSent(d.message());
      }
    }
    if (queue != null) {
      String problem = SqsMessageSizes.problem(call, maxMessageBytes.applyAsInt(queue));
      if (problem != null) {
        boolean batch = problem.startsWith(SqsMessageSizes.BATCH_TOO_LONG);
        SqsErrors.send(
            ex,
            call.json(),
            400,
            batch ? "AWS.SimpleQueueService.BatchRequestTooLong" : "InvalidParameterValue",
            batch
                ? "com.amazonaws.sqs#BatchRequestTooLong"
                : "com.amazonaws.sqs#InvalidParameterValueException",
            problem);
        throw new ErrorSent(problem);
      }
    }
  }

  private void forward(HttpExchange ex, byte[] body) throws IOException {
    String target = backend + ex.getRequestURI().getRawPath();
    if (ex.getRequestURI().getRawQuery() != null) {
      target += "?" + ex.getRequestURI().getRawQuery();
    }
    // Blocking I/O on the exchange's own virtual thread: no hand-offs to client threads.
    HttpURLConnection c = (HttpURLConnection) URI.create(target).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(90_000); // long polls wait up to 20 s
    c.setUseCaches(false);
    c.setInstanceFollowRedirects(false);
    c.setRequestMethod(ex.getRequestMethod());
    ex.getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> c.addRequestProperty(name, v));
              }
            });
    if (body.length > 0) {
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
    }
    int status = c.getResponseCode();
    byte[] out;
    try (java.io.InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      out = in == null ? new byte[0] : in.readAllBytes();
    }
    c.getHeaderFields()
        .forEach(
            (name, values) -> {
              if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                ex.getResponseHeaders().put(name, values);
              }
            });
    ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      ex.getResponseBody().write(out);
    }
  }
}
