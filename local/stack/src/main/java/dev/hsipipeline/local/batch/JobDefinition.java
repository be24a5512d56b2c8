package dev.hsipipeline.local.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.TemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One job definition as the local Batch runner uses it: {@code batch/<job>/job-definition.json}
 * (the AWS RegisterJobDefinition shape, rendered with the same variables Terraform fills) and the
 * job's executable jar {@code batch/<job>/target/<job>.jar}, which plays the container image.
 *
 * @param name {@code jobDefinitionName}
 * @param revision always 1 locally
 * @param arn {@code arn:aws:batch:<region>:<account>:job-definition/<name>:1}
 * @param json the rendered definition
 * @param jar the executable jar (may not exist yet: checked when a job is submitted)
 */
public record JobDefinition(String name, int revision, String arn, ObjectNode json, Path jar) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The definition's {@code VCPU} resource requirement (default 1). */
  public double vcpus() {
    return resource(json.path("containerProperties").path("resourceRequirements"), "VCPU", 1);
  }

  /** The definition's {@code MEMORY} resource requirement in MiB (default 2048). */
  public int memoryMib() {
    return (int)
        resource(json.path("containerProperties").path("resourceRequirements"), "MEMORY", 2048);
  }

  /**
   * The value of the {@code type} entry (VCPU, MEMORY) in a resourceRequirements array, in either
   * the definition's camelCase or a request's PascalCase spelling, or {@code dflt} when absent.
   *
   * @throws IllegalArgumentException when the value is not a number
   */
  public static double resource(JsonNode requirements, String type, double dflt) {
    for (JsonNode r : requirements) {
      String t = r.has("type") ? r.path("type").asText() : r.path("Type").asText();
      if (type.equalsIgnoreCase(t)) {
        String v = r.has("value") ? r.path("value").asText() : r.path("Value").asText();
        try {
          return Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              type + " resource requirement is not a number: '" + v + "'");
        }
      }
    }
    return dflt;
  }

  /**
   * Loads every {@code <jobsDir>/<job>/job-definition.json}, rendering {@code ${...}} with {@code
   * vars} exactly as Terraform's templatefile does.
   *
   * @return definitions by name, sorted by folder
   * @throws IllegalArgumentException naming the file when one is unreadable, not JSON, has
   *     unresolved placeholders or lacks {@code jobDefinitionName}/{@code containerProperties}
   */
  public static Map<String, JobDefinition> loadAll(
      Path jobsDir, Map<String, String> vars, String region, String accountId) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(jobsDir)) {
      dirs.sorted()
          .forEach(
              d -> {
                Path f = d.resolve("job-definition.json");
                if (Files.isRegularFile(f)) {
                  files.add(f);
                }
              });
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot list job definitions in " + jobsDir + ": " + e.getMessage(), e);
    }
    Map<String, JobDefinition> defs = new LinkedHashMap<>();
    for (Path f : files) {
      JobDefinition d = load(f, vars, region, accountId);
      if (defs.put(d.name(), d) != null) {
        throw new IllegalArgumentException(
            "two job definitions are named '" + d.name() + "' under " + jobsDir);
      }
    }
    return defs;
  }

  /**
   * The {@code jobDefinitionName} of every {@code <jobsDir>/<job>/job-definition.json} by folder,
   * read before rendering (the files are valid JSON with their placeholders; the name has none).
   */
  public static Map<String, String> names(Path jobsDir) {
    Map<String, String> names = new LinkedHashMap<>();
    try (Stream<Path> dirs = Files.list(jobsDir)) {
      for (Path d : dirs.sorted().toList()) {
        Path f = d.resolve("job-definition.json");
        if (Files.isRegularFile(f)) {
          names.put(
              d.getFileName().toString(),
              JSON.readTree(f.toFile()).path("jobDefinitionName").asText(""));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read job definitions in " + jobsDir + ": " + e.getMessage(), e);
    }
    return names;
  }

  /** Loads and renders one definition file (see {@link #loadAll}). */
  public static JobDefinition load(
      Path file, Map<String, String> vars, String region, String accountId) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read job definition " + file + ": " + e.getMessage(), e);
    }
    String rendered = TemplateRenderer.render(file.toString(), text, vars);
    JsonNode node;
    try {
      node = JSON.readTree(rendered);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "job definition " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode obj)) {
      throw new IllegalArgumentException("job definition " + file + " must be a JSON object");
    }
    String name = obj.path("jobDefinitionName").asText("");
    if (!name.matches("[A-Za-z0-9_-]{1,128}")) {
      throw new IllegalArgumentException(
          "job definition "
              + file
              + ": jobDefinitionName must be 1-128 of [A-Za-z0-9_-], got '"
              + name
              + "'");
    }
    JsonNode command = obj.path("containerProperties").path("command");
    if (!command.isArray()) {
      throw new IllegalArgumentException(
          "job definition " + file + ": containerProperties.command must be an array of strings");
    }
    String folder = file.getParent().getFileName().toString();
    Path jar = file.getParent().resolve("target").resolve(folder + ".jar");
    String arn = "arn:aws:batch:" + region + ":" + accountId + ":job-definition/" + name + ":1";
    JobDefinition def = new JobDefinition(name, 1, arn, obj, jar);
    def.vcpus(); // fail early on a malformed resource requirement
    def.memoryMib();
    return def;
  }
}
