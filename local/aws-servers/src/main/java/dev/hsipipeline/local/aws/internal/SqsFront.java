package dev.hsipipeline.local.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.aws.iam.Decision;
import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.iam.SignatureCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

  /** One SQS call as the front sees it. */
  private record Call(String action, boolean json, JsonNode jsonBody, Map<String, String> form) {
    String param(String name) {
      if (json) {
        JsonNode v = jsonBody.get(name);
        return v == null || v.isNull() ? null : v.asText();
      }
      return form.get(name);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
      if (body.length > MAX_REQUEST_BYTES) {
        ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        sendError(
            ex,
            target != null && target.startsWith("AmazonSQS."),
            413,
            "RequestEntityTooLarge",
            "com.amazon.coral.service#RequestEntityTooLargeException",
            "Request is larger than " + MAX_REQUEST_BYTES + " bytes");
        return;
      }
      Call call = parse(ex, body);
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

  private static Call parse(HttpExchange ex, byte[] body) {
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null && target.startsWith("AmazonSQS.")) {
      JsonNode n;
      try {
        n = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      } catch (IOException e) {
        return null; // ElasticMQ answers a malformed body itself
      }
      return new Call(target.substring("AmazonSQS.".length()), true, n, Map.of());
    }
    Map<String, String> form = new LinkedHashMap<>();
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      decodeForm(query, form);
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      decodeForm(new String(body, StandardCharsets.UTF_8), form);
    }
    String action = form.get("Action");
    return action == null ? null : new Call(action, false, null, form);
  }

  private static void decodeForm(String s, Map<String, String> into) {
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.put(k, v);
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
  private void check(HttpExchange ex, Call call, byte[] body) throws IOException {
    String queue = queueName(call);
    if (iam != null) {
      SignatureCheck.Failure bad = signatures.verify(request(ex, body), "sqs");
      if (bad != null) {
        sendError(
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
          iam.authorize(accessKeyId(ex, call), iamAction(call.action()), resource, CONTEXT);
      if (!d.allowed()) {
        if (d.unknownKey()) {
          sendError(
              ex,
              call.json(),
              403,
              "InvalidClientTokenId",
              "com.amazon.coral.service#UnrecognizedClientException",
              "The security token included in the request is invalid.");
        } else {
          sendError(
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
      String problem = sizeProblem(call, queue);
      if (problem != null) {
        boolean batch = problem.startsWith(BATCH_TOO_LONG);
        sendError(
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

  private static final String BATCH_TOO_LONG = "Batch requests cannot be longer than ";

  /**
   * SQS's size rules, with its messages: a message's body plus its attributes (names, types,
   * values) may not exceed the queue's MaximumMessageSize; the messages of one SendMessageBatch
   * together may not exceed the service's 1 MiB. Null when within them.
   */
  private String sizeProblem(Call call, String queue) {
    List<String> messages =
        switch (call.action()) {
          case "SendMessage" -> List.of("");
          case "SendMessageBatch" -> batchEntryPrefixes(call);
          default -> List.of();
        };
    int max = maxMessageBytes.applyAsInt(queue);
    long total = 0;
    for (String prefix : messages) {
      long size = messageSize(call, prefix);
      if (size > max) {
        return "One or more parameters are invalid. Reason: Message must be shorter than "
            + max
            + " bytes.";
      }
      total += size;
    }
    if (total > QueueSpec.MAX_MESSAGE_SIZE) {
      return BATCH_TOO_LONG
          + QueueSpec.MAX_MESSAGE_SIZE
          + " bytes. You have sent "
          + total
          + " bytes.";
    }
    return null;
  }

  private static List<String> batchEntryPrefixes(Call call) {
    java.util.ArrayList<String> prefixes = new java.util.ArrayList<>();
    if (call.json()) {
      JsonNode entries = call.jsonBody().path("Entries");
      for (int i = 0; i < entries.size(); i++) {
        prefixes.add(Integer.toString(i));
      }
    } else {
      for (int i = 1; call.form().containsKey("SendMessageBatchRequestEntry." + i + ".Id"); i++) {
        prefixes.add("SendMessageBatchRequestEntry." + i + ".");
      }
    }
    return prefixes;
  }

  /** Body + attribute bytes of one message ({@code prefix}: "" or a batch entry). */
  private static long messageSize(Call call, String prefix) {
    if (call.json()) {
      JsonNode m =
          prefix.isEmpty()
              ? call.jsonBody()
              : call.jsonBody().path("Entries").path(Integer.parseInt(prefix));
      long size = utf8(m.path("MessageBody").asText(""));
      for (Map.Entry<String, JsonNode> a : m.path("MessageAttributes").properties()) {
        JsonNode v = a.getValue();
        size += utf8(a.getKey()) + utf8(v.path("DataType").asText(""));
        size += utf8(v.path("StringValue").asText(""));
        size += v.path("BinaryValue").asText("").length() * 3L / 4; // base64 → bytes
      }
      return size;
    }
    long size = utf8(call.form().getOrDefault(prefix + "MessageBody", ""));
    for (Map.Entry<String, String> e : call.form().entrySet()) {
      String k = e.getKey();
      if (k.startsWith(prefix + "MessageAttribute.")
          && (k.endsWith(".Name") || k.endsWith(".DataType") || k.endsWith("StringValue"))) {
        size += utf8(e.getValue());
      }
    }
    return size;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String queueName(Call call) {
    String url = call.param("QueueUrl");
    if (url != null && !url.isBlank()) {
      String path = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      return path.substring(path.lastIndexOf('/') + 1);
    }
    String name = call.param("QueueName");
    return name == null || name.isBlank() ? null : name;
  }

  /** The IAM action of an SQS API action (batch calls need the single-message permission). */
  static String iamAction(String apiAction) {
    String base =
        switch (apiAction) {
          case "SendMessageBatch" -> "SendMessage";
          case "DeleteMessageBatch" -> "DeleteMessage";
          case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
          default -> apiAction;
        };
    return "sqs:" + base;
  }

  private static String accessKeyId(HttpExchange ex, Call call) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String credential = null;
    if (auth != null) {
      int i = auth.indexOf("Credential=");
      if (i >= 0) {
        credential = auth.substring(i + "Credential=".length());
      } else if (auth.startsWith("AWS ")) {
        credential = auth.substring(4); // signature V2: "AWS key:signature"
        int colon = credential.indexOf(':');
        return colon < 0 ? credential : credential.substring(0, colon);
      }
    } else if (!call.json()) {
      credential = call.form().get("X-Amz-Credential");
      if (credential == null) {
        credential = call.form().get("AWSAccessKeyId");
      }
    }
    if (credential == null) {
      return null;
    }
    int slash = credential.indexOf('/');
    return slash < 0 ? credential.strip() : credential.substring(0, slash).strip();
  }

  private static void sendError(
      HttpExchange ex, boolean json, int status, String code, String jsonType, String message)
      throws IOException {
    String requestId = UUID.randomUUID().toString();
    byte[] out;
    if (json) {
      ObjectNode n = JSON.createObjectNode().put("__type", jsonType).put("message", message);
      out = JSON.writeValueAsBytes(n);
      ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      // The SDKs' query-compatibility header carries the classic SQS error code.
      ex.getResponseHeaders().set("x-amzn-query-error", code + ";Sender");
    } else {
      out =
          ("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                  + "<Error><Type>Sender</Type><Code>"
                  + xml(code)
                  + "</Code><Message>"
                  + xml(message)
                  + "</Message><Detail/></Error><RequestId>"
                  + requestId
                  + "</RequestId></ErrorResponse>")
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/xml");
    }
    ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
