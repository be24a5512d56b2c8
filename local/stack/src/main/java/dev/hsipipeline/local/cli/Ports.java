package dev.hsipipeline.local.cli;

import dev.hsipipeline.local.StackSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Port checks before starting, for a clear message instead of a bind exception deep inside a
 * server.
 */
final class Ports {
  private Ports() {}

  static boolean isFree(String host, int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void requireFree(StackSettings s) {
    StringBuilder taken = new StringBuilder();
    check(taken, s.host(), s.sqsPort(), "SQS", "--sqs-port");
    check(taken, s.host(), s.s3Port(), "S3", "--s3-port");
    check(taken, s.host(), s.sfnPort(), "Step Functions/console", "--port");
    if (!taken.isEmpty()) {
      throw new IllegalStateException(
          "port(s) already in use:"
              + taken
              + "\n  Is another local stack running? (./pipeline executions talks to it) Otherwise choose other ports.");
    }
  }

  private static void check(
      StringBuilder taken, String host, int port, String what, String option) {
    if (!isFree(host, port)) {
      taken
          .append("\n  ")
          .append(what)
          .append(" port ")
          .append(port)
          .append(" (change with ")
          .append(option)
          .append(')');
    }
  }

  /** {@code port} when it is free, else 0 (an ephemeral port), saying so on {@code out}. */
  static int freeOrEphemeral(PrintWriter out, String host, int port, String what) {
    if (isFree(host, port)) {
      return port;
    }
    out.println(
        "Port "
            + port
            + " ("
            + what
            + ") is in use (another stack running?): the demo uses a free port instead.");
    return 0;
  }
}
