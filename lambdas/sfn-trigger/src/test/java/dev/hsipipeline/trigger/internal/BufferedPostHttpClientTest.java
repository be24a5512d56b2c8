package dev.hsipipeline.trigger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

class BufferedPostHttpClientTest {

  /** What the server saw: Content-Length header and body of each request. */
  private record Seen(String method, String contentLength, String transferEncoding, String body) {}

  @Test
  void smallPostsStillCarryTheirContentLengthOnTheWireAndReuseTheConnection() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(
                new Seen(
                    ex.getRequestMethod(),
                    ex.getRequestHeaders().getFirst("Content-Length"),
                    ex.getRequestHeaders().getFirst("Transfer-Encoding"),
                    body));
            byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          }
        });
    server.start();
    try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
      SdkHttpClient client = new BufferedPostHttpClient(http);
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      for (String body : List.of("{\"a\":1}", "{\"éé\":\"" + "x".repeat(5000) + "\"}")) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpExecuteResponse r = client.prepareRequest(post(uri, bytes)).call();
        assertEquals(200, r.httpResponse().statusCode());
        try (InputStream in = r.responseBody().orElseThrow()) {
          assertEquals("{}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      assertEquals(2, seen.size());
      assertEquals(new Seen("POST", "7", null, "{\"a\":1}"), seen.get(0));
      String big = "{\"éé\":\"" + "x".repeat(5000) + "\"}";
      assertEquals(
          new Seen(
              "POST", Integer.toString(big.getBytes(StandardCharsets.UTF_8).length), null, big),
          seen.get(1));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void onlySmallPostsAreRewritten() {
    List<HttpExecuteRequest> got = new CopyOnWriteArrayList<>();
    SdkHttpClient capture =
        new SdkHttpClient() {
          @Override
          public software.amazon.awssdk.http.ExecutableHttpRequest prepareRequest(
              HttpExecuteRequest request) {
            got.add(request);
            return null;
          }

          @Override
          public void close() {}
        };
    BufferedPostHttpClient client = new BufferedPostHttpClient(capture);
    URI uri = URI.create("http://127.0.0.1:1/");
    client.prepareRequest(post(uri, new byte[10]));
    client.prepareRequest(post(uri, new byte[(int) BufferedPostHttpClient.MAX_BUFFERED_BYTES + 1]));
    HttpExecuteRequest put =
        HttpExecuteRequest.builder()
            .request(
                SdkHttpRequest.builder()
                    .uri(uri)
                    .method(SdkHttpMethod.PUT)
                    .putHeader("Content-Length", "3")
                    .build())
            .contentStreamProvider(ContentStreamProvider.fromUtf8String("abc"))
            .build();
    client.prepareRequest(put);

    assertTrue(got.get(0).httpRequest().firstMatchingHeader("Content-Length").isEmpty());
    assertTrue(got.get(0).contentStreamProvider().isPresent());
    assertEquals(
        String.valueOf(BufferedPostHttpClient.MAX_BUFFERED_BYTES + 1),
        got.get(1).httpRequest().firstMatchingHeader("Content-Length").orElseThrow());
    assertEquals("3", got.get(2).httpRequest().firstMatchingHeader("Content-Length").orElseThrow());
  }

  private static HttpExecuteRequest post(URI uri, byte[] body) {
    return HttpExecuteRequest.builder()
        .request(
            SdkHttpRequest.builder()
                .uri(uri)
                .method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build())
        .contentStreamProvider(ContentStreamProvider.fromByteArray(body))
        .build();
  }
}
