package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** {@code pipeline history <executionArn|name> [--json]}. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Show an execution's event history.")
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXECUTION", description = "Execution ARN or name")
  String execution;

  @Option(names = "--json", description = "Print the events as GetExecutionHistory returns them.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (RemoteStack stack = RemoteStack.connect(parent.dataDir())) {
      String arn = stack.executionArn(execution);
      List<HistoryEvent> events = fetch(stack, arn, execution);
      if (json) {
        ArrayNode a = new ObjectMapper().createArrayNode();
        events.forEach(e -> a.add(SdkJson.toJson(e)));
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(a));
        return 0;
      }
      Table t = new Table("ID", "PREV", "ELAPSED", "TYPE", "DETAIL");
      Instant first = events.isEmpty() ? null : events.get(0).timestamp();
      for (HistoryEvent e : events) {
        t.row(
            e.id(),
            e.previousEventId() == null || e.previousEventId() == 0 ? "-" : e.previousEventId(),
            first == null ? "-" : "+" + Progress.seconds(Duration.between(first, e.timestamp())),
            e.typeAsString(),
            detail(e));
      }
      t.print(out);
      return 0;
    }
  }

  static List<HistoryEvent> fetch(RemoteStack stack, String arn, String given) {
    List<HistoryEvent> events = new ArrayList<>();
    String token = null;
    try {
      do {
        String tk = token;
        var page =
            stack.call(
                () ->
                    stack
                        .sfn()
                        .getExecutionHistory(
                            b -> b.executionArn(arn).maxResults(1000).nextToken(tk)));
        events.addAll(page.events());
        token = page.nextToken();
      } while (token != null);
    } catch (ExecutionDoesNotExistException e) {
      throw new IllegalArgumentException(
          "no execution " + given + " (list them with ./pipeline executions)");
    }
    return events;
  }

  /** The one thing worth seeing in each event type. */
  static String detail(HistoryEvent e) {
    if (e.stateEnteredEventDetails() != null) {
      return e.stateEnteredEventDetails().name();
    }
    if (e.stateExitedEventDetails() != null) {
      return e.stateExitedEventDetails().name();
    }
    if (e.taskScheduledEventDetails() != null) {
      return e.taskScheduledEventDetails().resourceType()
          + ":"
          + e.taskScheduledEventDetails().resource();
    }
    if (e.taskSucceededEventDetails() != null) {
      return jobOf(e.taskSucceededEventDetails().output());
    }
    if (e.taskFailedEventDetails() != null) {
      return e.taskFailedEventDetails().error() + ": " + jobOf(e.taskFailedEventDetails().cause());
    }
    if (e.executionFailedEventDetails() != null) {
      return e.executionFailedEventDetails().error()
          + ": "
          + e.executionFailedEventDetails().cause();
    }
    if (e.executionAbortedEventDetails() != null) {
      return String.valueOf(e.executionAbortedEventDetails().error());
    }
    if (e.executionTimedOutEventDetails() != null) {
      return String.valueOf(e.executionTimedOutEventDetails().error());
    }
    return "";
  }

  private static String jobOf(String json) {
    if (json == null) {
      return "";
    }
    try {
      var n = new ObjectMapper().readTree(json);
      if (n.has("JobId")) {
        return "job "
            + n.path("JobName").asText()
            + " "
            + n.path("JobId").asText()
            + " "
            + n.path("Status").asText()
            + (n.has("StatusReason") ? " (" + n.path("StatusReason").asText() + ")" : "");
      }
    } catch (Exception e) {
      // not JSON: show as is
    }
    return json;
  }
}
