package dev.hsipipeline.local.sfn.internal;

import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslValidationException;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * State machines and their revisions: create (idempotent when nothing differs), update (a new
 * revision; running executions keep theirs), delete, describe and list. Every change is committed
 * before the call returns.
 */
final class StateMachines {
  /** Largest definition AWS accepts (characters). */
  static final int MAX_DEFINITION_CHARS = 1_048_576;

  private final String region;
  private final String accountId;
  private final ExecutionIndex executions;
  private final GroupCommitWriter writer;
  private final ConcurrentSkipListMap<String, StateMachineRecord> machines =
      new ConcurrentSkipListMap<>();
  private final Map<String, Revision> revisions = new ConcurrentHashMap<>();
  private final Object lock = new Object();

  StateMachines(
      String region, String accountId, ExecutionIndex executions, GroupCommitWriter writer) {
    this.region = region;
    this.accountId = accountId;
    this.executions = executions;
    this.writer = writer;
  }

  /** Adds what a restart read back. */
  void restore(List<StateMachineRecord> loaded, Map<String, Revision> loadedRevisions) {
    revisions.putAll(loadedRevisions);
    for (StateMachineRecord sm : loaded) {
      machines.put(sm.arn(), sm);
      executions.addMachine(sm.arn());
    }
  }

  int size() {
    return machines.size();
  }

  /** Result of CreateStateMachine. */
  record Created(StateMachineRecord sm, boolean created) {}

  static AslDefinition compile(String definition) {
    if (definition == null) {
      throw ApiException.validation(
          "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null");
    }
    if (definition.length() > MAX_DEFINITION_CHARS) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'definition' failed to satisfy "
              + "constraint: Member must have length less than or equal to "
              + MAX_DEFINITION_CHARS);
    }
    try {
      return AslDefinition.parse(definition);
    } catch (AslValidationException e) {
      throw ApiException.invalidDefinition(describe(e.errors()));
    }
  }

  static String describe(List<ValidationError> errors) {
    StringBuilder sb = new StringBuilder();
    for (ValidationError v : errors) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(v.code()).append(": ").append(v.message()).append(" at ").append(v.location());
    }
    return sb.toString();
  }

  static void checkRoleArn(String roleArn) {
    if (roleArn == null) {
      throw ApiException.validation(
          "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    }
    String[] p = roleArn.split(":", 6);
    if (p.length != 6
        || !"arn".equals(p[0])
        || !"iam".equals(p[2])
        || !p[5].startsWith("role/")
        || p[5].length() <= "role/".length()) {
      throw ApiException.invalidArn(
          roleArn, "Expected an IAM role ARN arn:aws:iam::<account>:role/<name>");
    }
  }

  Created create(
      String name,
      String definition,
      String roleArn,
      String type,
      String loggingJson,
      String tracingJson,
      String description) {
    String tooLongOrEmpty = Names.lengthViolation(name);
    if (tooLongOrEmpty != null) {
      throw ApiException.validation(tooLongOrEmpty);
    }
    String problem = Names.nameProblem(name);
    if (problem != null) {
      throw ApiException.invalidName(String.valueOf(name), problem);
    }
    checkRoleArn(roleArn);
    AslDefinition compiled = compile(definition);
    String arn = Names.stateMachineArn(region, accountId, name);
    StateMachineRecord sm;
    synchronized (lock) {
      StateMachineRecord existing = machines.get(arn);
      if (existing != null) {
        // AWS: CreateStateMachine is idempotent when everything matches.
        if (existing.revision().definition.equals(definition)
            && Objects.equals(existing.revision().roleArn, roleArn)
            && existing.type().equals(type)
            && Objects.equals(existing.loggingJson(), loggingJson)) {
          return new Created(existing, false);
        }
        throw ApiException.stateMachineAlreadyExists(arn);
      }
      long now = System.currentTimeMillis();
      Revision r =
          new Revision(UUID.randomUUID().toString(), arn, definition, roleArn, now, compiled);
      sm = new StateMachineRecord(arn, name, type, now, r, loggingJson, tracingJson, description);
      revisions.put(r.revisionId, r);
      executions.addMachine(arn);
      machines.put(arn, sm);
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    writer.persist(new WriteOp.UpsertStateMachine(sm, durable), durable);
    return new Created(sm, true);
  }

  StateMachineRecord update(
      String arn, String definition, String roleArn, String loggingJson, String tracingJson) {
    require(arn);
    if (definition == null && roleArn == null && loggingJson == null && tracingJson == null) {
      throw ApiException.missingRequiredParameter(
          "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    if (roleArn != null) {
      checkRoleArn(roleArn);
    }
    AslDefinition compiled = definition == null ? null : compile(definition);
    StateMachineRecord updated;
    synchronized (lock) {
      StateMachineRecord sm = require(arn);
      Revision old = sm.revision();
      long now = System.currentTimeMillis();
      Revision r =
          new Revision(
              UUID.randomUUID().toString(),
              arn,
              definition == null ? old.definition : definition,
              roleArn == null ? old.roleArn : roleArn,
              now,
              compiled);
      updated =
          sm.withRevision(
              r,
              loggingJson == null ? sm.loggingJson() : loggingJson,
              tracingJson == null ? sm.tracingJson() : tracingJson);
      revisions.put(r.revisionId, r);
      machines.put(arn, updated);
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    writer.persist(new WriteOp.UpsertStateMachine(updated, durable), durable);
    return updated;
  }

  /**
   * Deletes a state machine and its closed executions (running ones go on until they end, as on
   * AWS). Deleting an unknown state machine succeeds, as AWS's DeleteStateMachine does.
   */
  void delete(String arn) {
    Names.parse(arn, "stateMachine");
    List<Long> gone;
    synchronized (lock) {
      if (machines.remove(arn) == null) {
        return;
      }
      gone = executions.removeMachine(arn);
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    writer.persist(new WriteOp.DeleteStateMachine(arn, gone, durable), durable);
  }

  /** The state machine, or StateMachineDoesNotExist (InvalidArn for a malformed ARN). */
  StateMachineRecord require(String arn) {
    Names.Arn parsed = Names.parse(arn, "stateMachine");
    StateMachineRecord sm = parsed.second() == null ? machines.get(arn) : null;
    if (sm == null) {
      throw ApiException.stateMachineDoesNotExist(arn);
    }
    return sm;
  }

  /** State machines after {@code afterArn} (exclusive), in ARN (= name) order. */
  List<StateMachineRecord> after(String afterArn, int max) {
    List<StateMachineRecord> out = new ArrayList<>();
    for (StateMachineRecord sm :
        (afterArn == null ? machines : machines.tailMap(afterArn, false)).values()) {
      if (out.size() == max) {
        break;
      }
      out.add(sm);
    }
    return out;
  }

  /** Java API for the stack: creates the state machine, or updates it when it differs. */
  String createOrUpdate(String name, String definition, String roleArn) {
    String arn = Names.stateMachineArn(region, accountId, name);
    StateMachineRecord existing = machines.get(arn);
    if (existing == null) {
      try {
        return create(name, definition, roleArn, "STANDARD", null, null, null).sm().arn();
      } catch (ApiException e) {
        if (!"StateMachineAlreadyExists".equals(e.code())) {
          throw e;
        }
      }
      existing = require(arn);
    }
    if (!existing.revision().definition.equals(definition)
        || !Objects.equals(existing.revision().roleArn, roleArn)) {
      update(arn, definition, roleArn, null, null);
    }
    return arn;
  }
}
