package dev.hsipipeline.local.sfn;

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
   * A refused call.
   *
   * @param unknownCaller true when the access key is not known (AWS: {@code
   *     UnrecognizedClientException}), false for {@code AccessDeniedException}
   * @param message AWS's text, e.g. "User: arn:... is not authorized to perform: ..."
   */
  record Denial(boolean unknownCaller, String message) {}
}
