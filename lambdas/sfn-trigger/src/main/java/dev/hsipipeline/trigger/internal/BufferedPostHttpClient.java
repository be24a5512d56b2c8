package dev.hsipipeline.trigger.internal;

import java.util.Objects;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends small API POSTs (Step Functions JSON calls) through {@code HttpURLConnection}'s buffered
 * mode instead of its fixed-length streaming mode.
 *
 * <p>Why: {@code UrlConnectionHttpClient} switches to streaming mode whenever the request has a
 * {@code Content-Length}, and for a streaming POST the JDK probes every kept-alive connection
 * before reusing it ({@code sun.net.www.http.HttpClient.available()}): a 1 ms timed read that
 * normally ends in a {@code SocketTimeoutException} (stack trace included) plus an 8 KB buffer, two
 * {@code setSoTimeout} calls and a parked thread — per request. In buffered mode the JDK writes the
 * same {@code Content-Length} itself (the byte count of the body it buffered), so the bytes on the
 * wire and the SigV4 signature, computed earlier over that header, are unchanged. Buffered POSTs
 * may be re-sent once by the JDK when a kept-alive connection turns out to be closed;
 * StartExecution is idempotent for the same name and input, so that is harmless (and the SDK's own
 * retries re-send anyway). Bodies above {@link #MAX_BUFFERED_BYTES} keep streaming.
 */
public final class BufferedPostHttpClient implements SdkHttpClient {

  /** Step Functions caps the execution input at 256 KiB; anything larger streams as before. */
  static final long MAX_BUFFERED_BYTES = 512 * 1024;

  private final SdkHttpClient delegate;

  /** Wraps {@code delegate} (not closed by {@link #close()}: the owner closes it). */
  public BufferedPostHttpClient(SdkHttpClient delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    SdkHttpRequest http = request.httpRequest();
    if (http.method() == SdkHttpMethod.POST && request.contentStreamProvider().isPresent()) {
      String length = http.firstMatchingHeader("Content-Length").orElse(null);
      if (length != null && isSmall(length)) {
        request =
            HttpExecuteRequest.builder()
                .request(http.toBuilder().removeHeader("Content-Length").build())
                .contentStreamProvider(request.contentStreamProvider().get())
                .metricCollector(request.metricCollector().orElse(null))
                .build();
      }
    }
    return delegate.prepareRequest(request);
  }

  private static boolean isSmall(String contentLength) {
    try {
      long n = Long.parseLong(contentLength.strip());
      return n >= 0 && n <= MAX_BUFFERED_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    // The delegate is shared with the S3 payload writer and closed by its owner.
  }
}
