package dev.hsipipeline.local.aws.iam;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Verifies a request's AWS Signature Version 4 the way AWS does: it signs the request again with
 * the caller's secret — with the SDK's own signer, over the headers the caller signed, at the time
 * the caller signed — and compares the signatures. Also checks the credential scope's service and
 * that the signature is at most 15 minutes off the clock. Requests signed otherwise (unsigned,
 * SigV2, presigned query strings) are left to the caller's identification by access key id.
 */
public final class SignatureCheck {

  /** AWS's text when the signatures differ. */
  public static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  /**
   * An HTTP request as a server received it.
   *
   * @param method e.g. POST
   * @param rawPath the request path, still percent-encoded
   * @param rawQuery the query string, still percent-encoded, or null
   * @param header a header's values by name, case-insensitively (empty when absent)
   * @param body the request body
   */
  public record Request(
      String method,
      String rawPath,
      String rawQuery,
      Function<String, List<String>> header,
      byte[] body) {}

  /**
   * Why a signature was refused.
   *
   * @param code the query protocol's error code ({@code SignatureDoesNotMatch}, {@code
   *     IncompleteSignature})
   * @param message AWS's text
   */
  public record Failure(String code, String message) {}

  private final Iam iam;
  private final Clock clock;

  /**
   * @param iam whose principals' secrets sign requests
   * @param clock the server's clock (signatures more than 15 minutes off it are expired)
   */
  public SignatureCheck(Iam iam, Clock clock) {
    this.iam = iam;
    this.clock = clock;
  }

  /**
   * Null when the request carries no SigV4 Authorization header, comes from an access key no
   * principal has (authorisation reports that), or is correctly signed for {@code service}; else
   * why not.
   */
  public Failure verify(Request r, String service) {
    List<String> auth = r.header().apply("Authorization");
    if (auth.isEmpty() || !auth.get(0).startsWith(ALGORITHM + " ")) {
      return null;
    }
    Map<String, String> parts = authorizationParts(auth.get(0));
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      return new Failure(
          "IncompleteSignature",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
              + " parameters. Authorization="
              + auth.get(0));
    }
    String[] scope = credential.split("/");
    if (scope.length != 5) {
      return new Failure(
          "IncompleteSignature",
          "Credential must have exactly 5 slash-delimited"
              + " elements, e.g. keyid/date/region/service/term, got '"
              + credential
              + "'");
    }
    Principal principal = iam.principal(scope[0]);
    if (principal == null) {
      return null;
    }
    if (!scope[3].equals(service)) {
      return new Failure(
          "SignatureDoesNotMatch",
          "Credential should be scoped to correct service: '" + service + "'. ");
    }
    List<String> dates = r.header().apply("X-Amz-Date");
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(dates.isEmpty() ? "" : dates.get(0)));
    } catch (DateTimeParseException e) {
      return new Failure(
          "IncompleteSignature",
          "Authorization header requires existence of either a 'X-Amz-Date'"
              + " or a 'Date' header. Authorization="
              + auth.get(0));
    }
    Instant now = clock.instant();
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      return new Failure(
          "SignatureDoesNotMatch",
          "Signature expired: "
              + AMZ_DATE.format(signedAt)
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(MAX_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " - 15 min.)");
    }
    String expected = resign(r, signedHeaders, principal, scope[2], service, signedAt);
    return MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII))
        ? null
        : new Failure("SignatureDoesNotMatch", MISMATCH);
  }

  /** The signature the SDK computes for the request's signed headers and body. */
  private static String resign(
      Request r,
      String signedHeaders,
      Principal principal,
      String region,
      String service,
      Instant signedAt) {
    List<String> host = r.header().apply("Host");
    String hostValue = host.isEmpty() ? "localhost" : host.get(0);
    int colon = hostValue.lastIndexOf(':');
    SdkHttpRequest.Builder b =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(r.method().toUpperCase(Locale.ROOT)))
            .protocol("http")
            .host(colon < 0 ? hostValue : hostValue.substring(0, colon))
            .port(colon < 0 ? 80 : Integer.parseInt(hostValue.substring(colon + 1)))
            .encodedPath(r.rawPath());
    queryParameters(r.rawQuery()).forEach(b::putRawQueryParameter);
    for (String name : signedHeaders.split(";")) {
      b.putHeader(name, r.header().apply(name));
    }
    var signed =
        SIGNER.sign(
            s ->
                s.identity(
                        AwsCredentialsIdentity.create(
                            principal.accessKeyId(), principal.secretAccessKey()))
                    .request(b.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(r.body()))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    String authorization = signed.request().firstMatchingHeader("Authorization").orElse("");
    return authorizationParts(authorization).getOrDefault("Signature", "");
  }

  private static Map<String, String> authorizationParts(String header) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String p : header.substring(header.indexOf(' ') + 1).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
      }
    }
    return parts;
  }

  private static Map<String, List<String>> queryParameters(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return params;
  }
}
