package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** {@code pipeline executions [--status S] [--json]}. */
@Command(
    name = "executions",
    mixinStandardHelpOptions = true,
    description = "List executions of the pipeline state machine, newest first.")
final class ExecutionsCommand implements Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only this status: ${COMPLETION-CANDIDATES}")
  ExecutionStatus status;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N executions. Default: ${DEFAULT-VALUE}")
  int limit = 50;

  @Option(
      names = "--json",
      description = "Print JSON (ListExecutions items plus source queue) instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (status == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
      throw new IllegalArgumentException("unknown status");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (RemoteStack stack = RemoteStack.connect(parent.dataDir())) {
      List<ExecutionListItem> items = new ArrayList<>();
      String token = null;
      do {
        String t = token;
        var page =
            stack.call(
                () ->
                    stack
                        .sfn()
                        .listExecutions(
                            b -> {
                              b.stateMachineArn(stack.stateMachineArn())
                                  .maxResults(Math.min(100, limit))
                                  .nextToken(t);
                              if (status != null) {
                                b.statusFilter(status);
                              }
                            }));
        items.addAll(page.executions());
        token = page.nextToken();
      } while (token != null && items.size() < limit);
      if (items.size() > limit) {
        items = items.subList(0, limit);
      }
      ObjectMapper om = new ObjectMapper();
      ArrayNode arr = om.createArrayNode();
      Table table = new Table("NAME", "STATUS", "SOURCE", "STARTED", "DURATION");
      for (ExecutionListItem e : items) {
        String source = source(stack, e.executionArn(), om);
        Instant end = e.stopDate() != null ? e.stopDate() : Instant.now();
        String dur =
            Progress.seconds(Duration.between(e.startDate(), end))
                + (e.stopDate() == null ? "+" : "");
        table.row(e.name(), e.statusAsString(), source, e.startDate(), dur);
        ObjectNode o = arr.addObject();
        o.put("executionArn", e.executionArn());
        o.put("name", e.name());
        o.put("status", e.statusAsString());
        o.put("source", source);
        o.put("startDate", e.startDate().toString());
        if (e.stopDate() != null) {
          o.put("stopDate", e.stopDate().toString());
        }
      }
      if (json) {
        out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
      } else if (table.isEmpty()) {
        out.println("no executions" + (status != null ? " with status " + status : "") + " yet");
      } else {
        table.print(out);
      }
      return 0;
    }
  }

  /** The source queue's name from the execution input's eventSourceARN. */
  static String source(RemoteStack stack, String executionArn, ObjectMapper om) {
    try {
      DescribeExecutionResponse d =
          stack.call(() -> stack.sfn().describeExecution(b -> b.executionArn(executionArn)));
      JsonNode in = om.readTree(d.input());
      String arn = in.path("eventSourceARN").asText("");
      return arn.isEmpty() ? "-" : Arn.tryFromString(arn).map(Arn::resourceAsString).orElse(arn);
    } catch (Exception e) {
      return "?";
    }
  }
}
