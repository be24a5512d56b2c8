package dev.hsipipeline.local.sfn.asl;

import java.util.List;
import java.util.stream.Collectors;

/** A definition is invalid; {@link #errors()} lists every problem found, not only the first. */
public class AslValidationException extends Exception {
  private final List<ValidationError> errors;

  public AslValidationException(List<ValidationError> errors) {
    super(
        errors.size()
            + " error(s) in state machine definition:\n  "
            + errors.stream().map(ValidationError::toString).collect(Collectors.joining("\n  ")));
    this.errors = List.copyOf(errors);
  }

  public List<ValidationError> errors() {
    return errors;
  }
}
