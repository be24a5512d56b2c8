package dev.hsipipeline.local.cli;

/** A command needs a running local stack and there is none (or it does not answer). */
final class StackNotRunningException extends RuntimeException {
  StackNotRunningException(String message) {
    super(message);
  }
}
