package dev.hsipipeline.local.sfn.asl.internal;

import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.util.ArrayList;
import java.util.List;

/** Collects every validation problem instead of stopping at the first. */
public final class Problems {
  public static final String SCHEMA = "SCHEMA_VALIDATION_FAILED";
  public static final String MISSING_TARGET = "MISSING_TRANSITION_TARGET";
  public static final String UNREACHABLE = "UNREACHABLE_STATE";
  public static final String INVALID_PATH = "INVALID_JSON_PATH";
  public static final String INVALID_INTRINSIC = "INVALID_INTRINSIC_FUNCTION";
  public static final String UNSUPPORTED = "UNSUPPORTED_FEATURE";
  public static final String INVALID_JSON = "INVALID_JSON_DESCRIPTION";

  private final List<ValidationError> errors = new ArrayList<>();

  public void add(String code, String location, String message) {
    errors.add(new ValidationError(code, location, message));
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public List<ValidationError> list() {
    return List.copyOf(errors);
  }

  /** Escapes a state or field name for use in a JSON-pointer-like location. */
  public static String seg(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
