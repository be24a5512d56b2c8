package dev.hsipipeline.local.sfn.asl.internal;

import java.util.List;

/** One Catch entry: on a matching error, {@code {Error, Cause}} goes to ResultPath, then Next. */
public record Catcher(List<String> errorEquals, String next, ResultPathField resultPath) {
  boolean matches(String error) {
    for (String e : errorEquals) {
      if (Errors.matches(e, error)) {
        return true;
      }
    }
    return false;
  }
}
