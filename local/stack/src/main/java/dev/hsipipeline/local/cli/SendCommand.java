package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pipeline send <activator|processor> <json|@file>}. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send a message to the activator or processor queue of the running stack.")
final class SendCommand implements Callable<Integer> {
  enum QueueRole {
    activator,
    processor
  }

  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUEUE", description = "activator or processor")
  QueueRole queue;

  @Parameters(
      index = "1",
      paramLabel = "BODY",
      description = "The message body (JSON), or @file to read it from a file")
  String body;

  @Option(
      names = "--raw",
      description = "Send the body even if it is not JSON (e.g. to see it reach the DLQ).")
  boolean raw;

  @Override
  public Integer call() throws IOException {
    String text = body;
    if (body.startsWith("@")) {
      Path f = Path.of(body.substring(1));
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException(
            "cannot read message body: no file " + f.toAbsolutePath());
      }
      text = Files.readString(f);
    }
    if (!raw) {
      try {
        new ObjectMapper().readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "the message body is not JSON ("
                + e.getOriginalMessage()
                + "); fix it, or use --raw to send it anyway");
      }
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException(
          "the message body is empty (SQS needs at least one character)");
    }
    String finalText = text;
    try (RemoteStack stack = RemoteStack.connect(parent.dataDir())) {
      String url = stack.queueUrl(queue.name());
      String id =
          stack.call(
              () ->
                  stack.sqs().sendMessage(b -> b.queueUrl(url).messageBody(finalText)).messageId());
      PrintWriter out = spec.commandLine().getOut();
      out.println("sent to " + queue + " queue: MessageId " + id);
      out.println("follow it with: ./pipeline executions");
      return 0;
    }
  }
}
