package dev.hsipipeline.local.aws.iam;

/**
 * The outcome of authorising one call.
 *
 * @param allowed whether the call may proceed
 * @param principal the caller, or null when the access key is unknown
 * @param message AWS's AccessDenied text when denied ("User: ... is not authorized to perform:
 *     ..."), else null
 */
public record Decision(boolean allowed, Principal principal, String message) {

  static Decision allow(Principal p) {
    return new Decision(true, p, null);
  }

  /** Whether the access key id belongs to no principal (AWS: an invalid security token). */
  public boolean unknownKey() {
    return !allowed && principal == null;
  }
}
