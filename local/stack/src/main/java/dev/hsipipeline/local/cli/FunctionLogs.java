package dev.hsipipeline.local.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What Lambda does with a function's stdout (CloudWatch Logs), for the interactive commands: the
 * trigger's structured log lines go to {@code <dataDir>/lambda/sfn-trigger.log} instead of
 * interleaving with the live progress. Every other line passes through unchanged.
 */
final class FunctionLogs extends OutputStream {
  private final PrintStream terminal;
  private final OutputStream file;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private FunctionLogs(PrintStream terminal, OutputStream file) {
    this.terminal = terminal;
    this.file = file;
  }

  /** Replaces System.out; returns the log file. */
  static Path redirect(Path dataDir) {
    Path log = dataDir.resolve("lambda").resolve("sfn-trigger.log");
    try {
      Files.createDirectories(log.getParent());
      OutputStream file =
          Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      System.setOut(
          new PrintStream(new FunctionLogs(System.out, file), true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + log, e);
    }
    return log;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      flushLine();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void flushLine() throws IOException {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (s.startsWith("{\"") && s.contains("\"logger\":\"sfn-trigger\"")) {
      file.write(s.getBytes(StandardCharsets.UTF_8));
      file.flush();
    } else {
      terminal.print(s);
      terminal.flush();
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    file.flush();
    terminal.flush();
  }
}
