package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What authorising an API request needs from it without parsing it whole: the caller's access key
 * id (from the SigV4 {@code Authorization} header) and the ARN the operation acts on (one top-level
 * field of the JSON body, read with a streaming parser so StartExecution's fast path stays fast).
 */
final class RequestResources {
  private RequestResources() {}

  /** {@code Credential=<key>/...} of a SigV4 header, or null when unsigned. */
  static String accessKeyId(String authorization) {
    if (authorization == null) {
      return null;
    }
    int i = authorization.indexOf("Credential=");
    if (i < 0) {
      return null;
    }
    int start = i + "Credential=".length();
    int slash = authorization.indexOf('/', start);
    return (slash < 0 ? authorization.substring(start) : authorization.substring(start, slash))
        .strip();
  }

  /** The ARN an operation's IAM permission is scoped to, or {@code *}. */
  static String resourceArn(String op, byte[] body) {
    String field =
        switch (op) {
          case "StartExecution",
              "StartSyncExecution",
              "ListExecutions",
              "DescribeStateMachine",
              "UpdateStateMachine",
              "DeleteStateMachine",
              "ListStateMachineVersions" ->
              "stateMachineArn";
          case "DescribeExecution",
              "StopExecution",
              "GetExecutionHistory",
              "RedriveExecution",
              "DescribeStateMachineForExecution" ->
              "executionArn";
          default -> null;
        };
    if (field == null) {
      return "*";
    }
    String value = topLevelString(body, field);
    return value == null || value.isEmpty() ? "*" : value;
  }

  private static String topLevelString(byte[] body, String field) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals(field) && t == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return null; // the operation itself reports the malformed body
    }
    return null;
  }
}
