package dev.hsipipeline.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders a file the way Terraform's {@code templatefile()} does for the subset the pipeline uses:
 * <code>${name}</code> interpolates a variable verbatim, <code>$${</code> is a literal <code>${
 * </code>. Like Terraform, a reference to an unknown variable is an error, and so are template
 * directives (<code>%{...}</code>) and expressions other than a plain name, which the local stack
 * does not evaluate: better to fail loudly than to deploy something different from AWS.
 */
public final class TemplateRenderer {
  private TemplateRenderer() {}

  /**
   * @param what names the template in error messages (e.g. its path)
   * @throws IllegalArgumentException listing every unresolved reference with its line
   */
  public static String render(String what, String template, Map<String, String> vars) {
    StringBuilder out = new StringBuilder(template.length() + 256);
    List<String> problems = new ArrayList<>();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c == '$'
          && i + 1 < n
          && template.charAt(i + 1) == '$'
          && i + 2 < n
          && template.charAt(i + 2) == '{') {
        out.append("${");
        i += 3;
      } else if (c == '%'
          && i + 1 < n
          && template.charAt(i + 1) == '%'
          && i + 2 < n
          && template.charAt(i + 2) == '{') {
        out.append("%{");
        i += 3;
      } else if (c == '%' && i + 1 < n && template.charAt(i + 1) == '{') {
        problems.add(
            "line " + line(template, i) + ": template directive %{...} is not supported locally");
        out.append(c);
        i++;
      } else if (c == '$' && i + 1 < n && template.charAt(i + 1) == '{') {
        int end = template.indexOf('}', i + 2);
        if (end < 0) {
          problems.add("line " + line(template, i) + ": unterminated ${");
          out.append(template, i, n);
          break;
        }
        String name = template.substring(i + 2, end).strip();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
          problems.add(
              "line "
                  + line(template, i)
                  + ": ${"
                  + name
                  + "} is an expression, only plain variable names are supported");
        } else if (!vars.containsKey(name)) {
          problems.add("line " + line(template, i) + ": no value for ${" + name + "}");
        } else {
          out.append(vars.get(name));
        }
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          what
              + ": cannot render template ("
              + problems.size()
              + " problem(s)); known variables "
              + new TreeSet<>(vars.keySet())
              + ":\n  "
              + String.join("\n  ", problems));
    }
    return out.toString();
  }

  private static int line(String s, int index) {
    int line = 1;
    for (int k = 0; k < index; k++) {
      if (s.charAt(k) == '\n') {
        line++;
      }
    }
    return line;
  }
}
