package dev.hsipipeline.local.sfn.asl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Odd shapes anywhere in a definition give located errors, never an exception. */
class ValidationRobustnessTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "[]",
        "42",
        "{\"StartAt\": 1, \"States\": []}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": 5}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": 5}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": 3, \"End\": \"yes\"}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Choice\", \"Choices\": [1, \"x\", null, {\"And\": 5, \"Next\": \"A\"}, {\"Not\": [], \"Next\": \"A\"}, {\"Or\": [], \"Next\": \"A\"}]}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Choice\", \"Choices\": {}, \"Default\": 7}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": 1, \"Retry\": [\"x\", {\"ErrorEquals\": \"States.ALL\"}], \"Catch\": {}, \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:x\", \"Retry\": [{\"ErrorEquals\": [1], \"MaxAttempts\": 1.5, \"BackoffRate\": \"2\"}], \"Catch\": [{\"ErrorEquals\": [], \"Next\": 1}], \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Parallel\", \"Branches\": [1, {}, {\"StartAt\": \"X\"}], \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Map\", \"ItemProcessor\": 5, \"ItemSelector\": [], \"MaxConcurrency\": -1, \"ToleratedFailurePercentage\": 200, \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Map\", \"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": 3}, \"StartAt\": \"B\", \"States\": {\"B\": {\"Type\": \"Pass\", \"End\": true}}}, \"Iterator\": {}, \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": -1, \"Timestamp\": 5, \"SecondsPath\": 1, \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Fail\", \"Error\": 1, \"CausePath\": 2}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"InputPath\": 1, \"OutputPath\": [], \"ResultPath\": {}, \"Parameters\": \"x\", \"End\": true}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Parameters\": {\"a.$\": \"States.Format('{}'\", \"b.$\": \"States.Array(\", \"c.$\": \"States.MathAdd(1)\", \"d.$\": \"States.UUID(1)\", \"e.$\": \"$[\"}, \"End\": true}}}",
        "{\"StartAt\": \"A\", \"QueryLanguage\": 5, \"States\": {\"A\": {\"Type\": \"Succeed\", \"QueryLanguage\": \"JSONata\"}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:x\", \"TimeoutSecondsPath\": \"$.a[*]\", \"HeartbeatSeconds\": 0, \"End\": true}}}"
      })
  void malformedDefinitionsYieldLocatedErrorsWithoutThrowing(String definition) {
    List<ValidationError> errors = AslDefinition.validate(definition);
    assertFalse(errors.isEmpty(), "expected errors for " + definition);
    for (ValidationError e : errors) {
      assertTrue(e.location().startsWith("/"), e.toString());
      assertFalse(e.message().isBlank(), e.toString());
    }
  }
}
