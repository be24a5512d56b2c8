package dev.hsipipeline.testkit.gdal;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfGdal}. */
public final class GdalCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Gdal.Probe probe = Gdal.probe();
    return probe.available()
        ? ConditionEvaluationResult.enabled("GDAL " + probe.version() + " found")
        : ConditionEvaluationResult.disabled(
            "GDAL oracle tests skipped: "
                + probe.problem()
                + " (install it: apt-get install gdal-bin python3-gdal)");
  }
}
