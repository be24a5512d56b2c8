package dev.hsipipeline.local.sfn;

import java.util.List;
import java.util.function.Function;

/**
 * Decides whether the caller of a Step Functions API request may make it — the local stand-in for
 * IAM. The server asks before every call with the access key id of the request's signature (null
 * when unsigned), the IAM action ({@code states:<Operation>}) and the ARN the request acts on
 * ({@code *} for operations without one).
 */
@FunctionalInterface
public interface ApiAuthorizer {

  /**
   * @return null when the call may proceed, else the error AWS would return
   */
  Denial check(String accessKeyId, String action, String resource);

  /**
   * The same decision with the whole request at hand, so an authorizer can also verify its
   * signature; by default only the access key id counts.
   *
   * @return null when the call may proceed, else the error AWS would return
   */
  default Denial check(Request request, String accessKeyId, String action, String resource) {
    return check(accessKeyId, action, resource);
  }

  /**
   * An API request as the server received it.
   *
   * @param method e.g. POST
   * @param rawPath the path, still percent-encoded
   * @param rawQuery the query string, still percent-encoded, or null
   * @param header a header's values by name, case-insensitively (empty when absent)
   * @param body the request body
   */
  record Request(
      String method,
      String rawPath,
      String rawQuery,
      Function<String, List<String>> header,
      byte[] body) {}

  /**
   * A refused call.
   *
   * @param reason which of AWS's errors it is
   * @param message AWS's text, e.g. "User: arn:... is not authorized to perform: ..."
   */
  record Denial(Reason reason, String message) {

    /** The error AWS returns. */
    public enum Reason {
      /** The access key is not known: {@code UnrecognizedClientException}. */
      UNRECOGNIZED_CLIENT,
      /** No policy allows the call: {@code AccessDeniedException}. */
      ACCESS_DENIED,
      /** The signature is wrong or expired: {@code InvalidSignatureException}. */
      INVALID_SIGNATURE
    }

    /**
     * @param unknownCaller true when the access key is not known, false for a policy's refusal
     */
    public Denial(boolean unknownCaller, String message) {
      this(unknownCaller ? Reason.UNRECOGNIZED_CLIENT : Reason.ACCESS_DENIED, message);
    }

    /** True when the access key is not known. */
    public boolean unknownCaller() {
      return reason == Reason.UNRECOGNIZED_CLIENT;
    }
  }
}
