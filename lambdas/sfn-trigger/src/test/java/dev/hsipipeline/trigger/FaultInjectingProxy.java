package dev.hsipipeline.trigger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of the local Step Functions API that answers StartExecution calls for
 * execution names starting with {@code throttle2-} with ThrottlingException twice, and for names
 * starting with {@code fail500-} always with HTTP 500; everything else is forwarded. It lets tests
 * observe the SDK's retries against real wire-level errors.
 */
final class FaultInjectingProxy implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI target;
  final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  FaultInjectingProxy(URI target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int attempts(String name) {
    AtomicInteger n = attempts.get(name);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    String text = new String(body, StandardCharsets.UTF_8);
    Matcher m = NAME.matcher(text);
    if ("AWSStepFunctions.StartExecution".equals(target) && m.find()) {
      String name = m.group(1);
      int attempt = attempts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (name.startsWith("throttle2-") && attempt <= 2) {
        reply(ex, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        return;
      }
      if (name.startsWith("fail500-")) {
        reply(ex, 500, "{\"__type\":\"InternalFailure\",\"message\":\"injected\"}");
        return;
      }
    }
    HttpRequest.Builder forward =
        HttpRequest.newBuilder(this.target.resolve(ex.getRequestURI().getPath()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (String h : new String[] {"Content-Type", "X-Amz-Target"}) {
      String v = ex.getRequestHeaders().getFirst(h);
      if (v != null) {
        forward.header(h, v);
      }
    }
    try {
      HttpResponse<byte[]> r =
          client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      ex.getResponseHeaders()
          .set(
              "Content-Type",
              r.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.0"));
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      ex.getResponseBody().write(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(ex, 500, "{}");
    } finally {
      ex.close();
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
