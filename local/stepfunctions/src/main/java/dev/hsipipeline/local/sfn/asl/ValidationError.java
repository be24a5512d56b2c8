package dev.hsipipeline.local.sfn.asl;

/**
 * One problem in a definition.
 *
 * @param code a stable code, e.g. {@code SCHEMA_VALIDATION_FAILED}, {@code
 *     MISSING_TRANSITION_TARGET}
 * @param location a JSON pointer-like location, e.g. {@code /States/ActivatorState/Next}
 * @param message what is wrong, in words a user can act on
 */
public record ValidationError(String code, String location, String message) {
  @Override
  public String toString() {
    return code + " at " + location + ": " + message;
  }
}
