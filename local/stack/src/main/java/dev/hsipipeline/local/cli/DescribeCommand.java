package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** {@code pipeline describe <executionArn|name> [--json]}. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = "Describe one execution.")
final class DescribeCommand implements Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXECUTION", description = "Execution ARN or name")
  String execution;

  @Option(names = "--json", description = "Print the DescribeExecution response as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper om = new ObjectMapper();
    try (RemoteStack stack = RemoteStack.connect(parent.dataDir())) {
      String arn = stack.executionArn(execution);
      DescribeExecutionResponse d;
      try {
        d = stack.call(() -> stack.sfn().describeExecution(b -> b.executionArn(arn)));
      } catch (ExecutionDoesNotExistException e) {
        throw new IllegalArgumentException(
            "no execution " + execution + " (list them with ./pipeline executions)");
      }
      if (json) {
        ObjectNode o = om.createObjectNode();
        o.put("executionArn", d.executionArn());
        o.put("stateMachineArn", d.stateMachineArn());
        o.put("name", d.name());
        o.put("status", d.statusAsString());
        o.put("startDate", String.valueOf(d.startDate()));
        if (d.stopDate() != null) {
          o.put("stopDate", d.stopDate().toString());
        }
        o.set("input", parse(om, d.input()));
        if (d.output() != null) {
          o.set("output", parse(om, d.output()));
        }
        if (d.error() != null) {
          o.put("error", d.error());
        }
        if (d.cause() != null) {
          o.put("cause", d.cause());
        }
        out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        return 0;
      }
      Table t = new Table("FIELD", "VALUE");
      t.row("name", d.name());
      t.row("arn", d.executionArn());
      t.row("status", d.statusAsString());
      t.row("started", d.startDate());
      t.row("stopped", d.stopDate());
      if (d.stopDate() != null) {
        t.row("duration", Progress.seconds(Duration.between(d.startDate(), d.stopDate())));
      }
      JsonNode in = parse(om, d.input());
      t.row("source", in.path("eventSourceARN").asText("-"));
      t.row("messageId", in.path("messageId").asText("-"));
      JsonNode job = parse(om, d.output()).path("job");
      if (!job.isMissingNode()) {
        t.row(
            "job",
            job.path("JobName").asText()
                + " "
                + job.path("JobId").asText()
                + " "
                + job.path("Status").asText());
      }
      if (d.error() != null) {
        t.row("error", d.error());
        t.row("cause", d.cause());
      }
      t.print(out);
      out.println();
      out.println("input:");
      out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(in));
      if (d.output() != null) {
        out.println("output:");
        out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(parse(om, d.output())));
      }
      return 0;
    }
  }

  static JsonNode parse(ObjectMapper om, String s) {
    if (s == null) {
      return om.missingNode();
    }
    try {
      return om.readTree(s);
    } catch (Exception e) {
      return om.getNodeFactory().textNode(s);
    }
  }
}
