package dev.hsipipeline.local.sfn;

import static dev.hsipipeline.local.sfn.SfnFixture.ECHO_DEF;
import static dev.hsipipeline.local.sfn.SfnFixture.PASS_DEF;
import static dev.hsipipeline.local.sfn.SfnFixture.ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionDiagnostic;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;
import software.amazon.awssdk.services.sfn.model.ValidationException;

class StateMachineApiTest {
  static SfnFixture f;
  static final String BROKEN_DEF =
      """
      {"StartAt":"Missing","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Bogus","End":true}}}""";

  @BeforeAll
  static void start() {
    f = new SfnFixture();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void createDescribeAndListAStateMachine() {
    CreateStateMachineResponse c =
        f.client.createStateMachine(
            b ->
                b.name("described")
                    .definition(PASS_DEF)
                    .roleArn(ROLE)
                    .type(StateMachineType.STANDARD));
    assertEquals(
        "arn:aws:states:us-east-1:000000000000:stateMachine:described", c.stateMachineArn());
    assertNotNull(c.creationDate());
    DescribeStateMachineResponse d =
        f.client.describeStateMachine(b -> b.stateMachineArn(c.stateMachineArn()));
    assertEquals("described", d.name());
    assertEquals(PASS_DEF, d.definition());
    assertEquals(ROLE, d.roleArn());
    assertEquals(StateMachineStatus.ACTIVE, d.status());
    assertEquals(StateMachineType.STANDARD, d.type());
    assertEquals(c.creationDate(), d.creationDate());
    assertNotNull(d.revisionId());
    assertNotNull(d.loggingConfiguration());
    assertTrue(
        f.client.listStateMachines().stateMachines().stream()
            .anyMatch(
                s ->
                    s.stateMachineArn().equals(c.stateMachineArn())
                        && s.type() == StateMachineType.STANDARD));
  }

  @Test
  void createIsIdempotentForTheSameDefinitionAndConflictsOtherwise() {
    String arn = f.createStateMachine("idem-sm", PASS_DEF);
    assertEquals(arn, f.createStateMachine("idem-sm", PASS_DEF));
    StateMachineAlreadyExistsException e =
        assertThrows(
            StateMachineAlreadyExistsException.class,
            () -> f.createStateMachine("idem-sm", ECHO_DEF));
    assertTrue(e.getMessage().contains(arn), e.getMessage());
  }

  @Test
  void invalidDefinitionListsEveryProblem() {
    InvalidDefinitionException e =
        assertThrows(
            InvalidDefinitionException.class, () -> f.createStateMachine("broken", BROKEN_DEF));
    assertTrue(e.getMessage().contains("Invalid State Machine Definition"), e.getMessage());
    assertTrue(
        e.getMessage().contains("/States/A/Next") || e.getMessage().contains("Nowhere"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Missing"), e.getMessage());
    assertThrows(
        InvalidDefinitionException.class, () -> f.createStateMachine("notjson", "{not json"));
  }

  @Test
  void badNamesAndRolesAreRejected() {
    assertThrows(InvalidNameException.class, () -> f.createStateMachine("has space", PASS_DEF));
    assertThrows(InvalidNameException.class, () -> f.createStateMachine("x#", PASS_DEF));
    // Longer than 80 fails the request's schema first, as on AWS.
    assertThrows(ValidationException.class, () -> f.createStateMachine("x".repeat(81), PASS_DEF));
    assertThrows(
        InvalidArnException.class,
        () ->
            f.client.createStateMachine(
                b -> b.name("badrole").definition(PASS_DEF).roleArn("not-a-role")));
    assertThrows(
        ValidationException.class,
        () -> f.client.createStateMachine(b -> b.name("norole").definition(PASS_DEF)));
  }

  @Test
  void updateChangesDefinitionAndRevisionButRunningExecutionsKeepTheirs() {
    String arn = f.createStateMachine("updated", PASS_DEF);
    String rev1 = f.client.describeStateMachine(b -> b.stateMachineArn(arn)).revisionId();
    var u =
        f.client.updateStateMachine(
            b ->
                b.stateMachineArn(arn)
                    .definition(ECHO_DEF)
                    .roleArn("arn:aws:iam::000000000000:role/other"));
    assertNotNull(u.updateDate());
    assertNotEquals(rev1, u.revisionId());
    DescribeStateMachineResponse d = f.client.describeStateMachine(b -> b.stateMachineArn(arn));
    assertEquals(ECHO_DEF, d.definition());
    assertEquals("arn:aws:iam::000000000000:role/other", d.roleArn());
    assertEquals(u.revisionId(), d.revisionId());

    assertThrows(
        MissingRequiredParameterException.class,
        () -> f.client.updateStateMachine(b -> b.stateMachineArn(arn)));
    assertThrows(
        InvalidDefinitionException.class,
        () -> f.client.updateStateMachine(b -> b.stateMachineArn(arn).definition(BROKEN_DEF)));
    assertThrows(
        StateMachineDoesNotExistException.class,
        () ->
            f.client.updateStateMachine(
                b ->
                    b.stateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:ghost")
                        .definition(PASS_DEF)));
  }

  @Test
  void deleteRemovesTheStateMachineAndItsClosedExecutions() {
    String arn = f.createStateMachine("deleted", PASS_DEF);
    String exec = f.client.startExecution(b -> b.stateMachineArn(arn).name("gone")).executionArn();
    f.awaitStatus(exec, ExecutionStatus.SUCCEEDED);
    f.client.deleteStateMachine(b -> b.stateMachineArn(arn));
    assertThrows(
        StateMachineDoesNotExistException.class,
        () -> f.client.describeStateMachine(b -> b.stateMachineArn(arn)));
    assertThrows(
        StateMachineDoesNotExistException.class,
        () -> f.client.startExecution(b -> b.stateMachineArn(arn)));
    assertFalse(
        f.client.listStateMachines().stateMachines().stream()
            .anyMatch(s -> s.stateMachineArn().equals(arn)));
    // Deleting again (or an unknown machine) succeeds, as on AWS.
    f.client.deleteStateMachine(b -> b.stateMachineArn(arn));
    assertThrows(
        InvalidArnException.class,
        () -> f.client.deleteStateMachine(b -> b.stateMachineArn("bogus")));
    // The name can be used again.
    assertEquals(arn, f.createStateMachine("deleted", ECHO_DEF));
    assertEquals(0, f.client.listExecutions(b -> b.stateMachineArn(arn)).executions().size());
  }

  @Test
  void listStateMachinesPaginates() {
    for (int i = 0; i < 5; i++) {
      f.createStateMachine("page-sm-" + i, PASS_DEF);
    }
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListStateMachinesResponse r = f.client.listStateMachines(b -> b.maxResults(2).nextToken(t));
      assertTrue(r.stateMachines().size() <= 2);
      r.stateMachines().forEach(s -> names.add(s.name()));
      token = r.nextToken();
    } while (token != null);
    assertEquals(names.stream().distinct().count(), names.size(), "no duplicates: " + names);
    for (int i = 0; i < 5; i++) {
      assertTrue(names.contains("page-sm-" + i), names.toString());
    }
  }

  @Test
  void validateStateMachineDefinitionReportsOkOrEveryDiagnostic() {
    ValidateStateMachineDefinitionResponse ok =
        f.client.validateStateMachineDefinition(b -> b.definition(PASS_DEF));
    assertEquals(ValidateStateMachineDefinitionResultCode.OK, ok.result());
    assertTrue(ok.diagnostics().isEmpty());

    ValidateStateMachineDefinitionResponse bad =
        f.client.validateStateMachineDefinition(b -> b.definition(BROKEN_DEF));
    assertEquals(ValidateStateMachineDefinitionResultCode.FAIL, bad.result());
    assertTrue(bad.diagnostics().size() >= 3, bad.diagnostics().toString());
    for (ValidateStateMachineDefinitionDiagnostic d : bad.diagnostics()) {
      assertEquals("ERROR", d.severityAsString());
      assertNotNull(d.code());
      assertNotNull(d.message());
      assertNotNull(d.location());
    }
    assertFalse(bad.truncated());
    ValidateStateMachineDefinitionResponse one =
        f.client.validateStateMachineDefinition(b -> b.definition(BROKEN_DEF).maxResults(1));
    assertEquals(1, one.diagnostics().size());
    assertTrue(one.truncated());
  }

  @Test
  void createOrUpdateFromJavaValidatesAndUpdatesInPlace() {
    String arn = f.server.createOrUpdateStateMachine("java-api", PASS_DEF, ROLE);
    assertEquals(arn, f.server.createOrUpdateStateMachine("java-api", PASS_DEF, ROLE));
    String rev = f.client.describeStateMachine(b -> b.stateMachineArn(arn)).revisionId();
    assertEquals(arn, f.server.createOrUpdateStateMachine("java-api", ECHO_DEF, ROLE));
    DescribeStateMachineResponse d = f.client.describeStateMachine(b -> b.stateMachineArn(arn));
    assertEquals(ECHO_DEF, d.definition());
    assertNotEquals(rev, d.revisionId());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> f.server.createOrUpdateStateMachine("java-api", BROKEN_DEF, ROLE));
    assertTrue(e.getMessage().contains("InvalidDefinition"), e.getMessage());
  }
}
