package dev.hsipipeline.local.cli;

import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.StateMachineTemplate;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline validate <file>}: every problem in an ASL definition, exit 1 if any. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Validate an Amazon States Language definition; prints every error (exit 1 if any)."
            + " A Terraform template (with placeholders) is rendered as ./pipeline up renders it.")
final class ValidateCommand implements Callable<Integer> {
  /** A Terraform template placeholder ({@code $${} is an escaped literal). */
  private static final Pattern TEMPLATE_PLACEHOLDER = Pattern.compile("(?<!\\$)\\$\\{");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The state machine definition (JSON)")
  Path file;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no file " + file.toAbsolutePath());
    }
    String text = Files.readString(file);
    String what = file.toString();
    if (TEMPLATE_PLACEHOLDER.matcher(text).find()) {
      // A Terraform template (statemachine/pipeline.asl.json): check what the local stack runs.
      text =
          StateMachineTemplate.render(
              file,
              StateMachineTemplate.localVariables(
                  StackSettings.defaults(StackSettings.findRepoRoot())));
      what = file + " (rendered as ./pipeline up renders it)";
    }
    List<ValidationError> errors = AslDefinition.validate(text);
    PrintWriter out = spec.commandLine().getOut();
    if (errors.isEmpty()) {
      out.println(what + ": valid");
      return 0;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(what + ": " + errors.size() + " error(s)");
    Table t = new Table("CODE", "LOCATION", "MESSAGE");
    errors.forEach(e -> t.row(e.code(), e.location(), e.message()));
    t.print(err);
    err.flush();
    return 1;
  }
}
