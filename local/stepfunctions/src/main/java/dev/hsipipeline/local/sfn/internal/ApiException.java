package dev.hsipipeline.local.sfn.internal;

/**
 * An error the API returns to the client in AWS JSON 1.0 shape: {@code {"__type": ..., "message":
 * ...}} with HTTP 400 (or {@link #status()}). {@link #code()} is the short error code the SDKs map
 * to exception classes (e.g. {@code ExecutionAlreadyExists} → ExecutionAlreadyExistsException).
 */
public final class ApiException extends RuntimeException {
  /** Namespace Step Functions uses for its modelled errors. */
  static final String SFN_NAMESPACE = "com.amazonaws.swf.service.v2.model#";

  /** Namespace of the Coral framework errors (unknown operation, serialization). */
  static final String CORAL_NAMESPACE = "com.amazon.coral.service#";

  private final String type;
  private final String code;
  private final int status;

  private ApiException(String namespace, String code, String message, int status) {
    super(message);
    this.type = namespace + code;
    this.code = code;
    this.status = status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  static ApiException of(String code, String message) {
    return new ApiException(SFN_NAMESPACE, code, message, 400);
  }

  /** IAM refused the call (AWS JSON protocols: HTTP 400, the Coral namespace). */
  static ApiException accessDenied(String message) {
    return new ApiException(CORAL_NAMESPACE, "AccessDeniedException", message, 400);
  }

  static ApiException invalidSignature(String message) {
    return new ApiException(CORAL_NAMESPACE, "InvalidSignatureException", message, 403);
  }

  /** The request's access key is unknown. */
  static ApiException unrecognizedClient(String message) {
    return new ApiException(CORAL_NAMESPACE, "UnrecognizedClientException", message, 400);
  }

  static ApiException executionAlreadyExists(String arn) {
    return of("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
  }

  static ApiException executionDoesNotExist(String arn) {
    return of("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }

  static ApiException stateMachineDoesNotExist(String arn) {
    return of("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }

  static ApiException stateMachineAlreadyExists(String arn) {
    return of("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
  }

  static ApiException invalidArn(String arn, String reason) {
    return of("InvalidArn", "Invalid Arn: '" + reason + ": " + arn + "'");
  }

  static ApiException invalidName(String name, String reason) {
    return of("InvalidName", "Invalid Name: '" + name + "' (" + reason + ")");
  }

  static ApiException invalidExecutionInput(String reason) {
    return of("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + reason + "'");
  }

  static ApiException invalidDefinition(String reason) {
    return of("InvalidDefinition", "Invalid State Machine Definition: '" + reason + "'");
  }

  static ApiException invalidToken(String reason) {
    return of("InvalidToken", "Invalid Token: '" + reason + "'");
  }

  static ApiException validation(String message) {
    return of("ValidationException", message);
  }

  static ApiException missingRequiredParameter(String message) {
    return of("MissingRequiredParameter", message);
  }

  static ApiException unknownOperation(String target) {
    return new ApiException(
        CORAL_NAMESPACE,
        "UnknownOperationException",
        "Unknown operation: '"
            + target
            + "'. Expected header X-Amz-Target: AWSStepFunctions.<Operation>",
        400);
  }

  static ApiException serialization(String message) {
    return new ApiException(CORAL_NAMESPACE, "SerializationException", message, 400);
  }

  static ApiException internal(String message) {
    return new ApiException(CORAL_NAMESPACE, "InternalFailure", message, 500);
  }

  static ApiException unavailable(String message) {
    return new ApiException(CORAL_NAMESPACE, "ServiceUnavailable", message, 503);
  }
}
