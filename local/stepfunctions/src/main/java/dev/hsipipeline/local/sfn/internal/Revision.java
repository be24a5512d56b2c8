package dev.hsipipeline.local.sfn.internal;

import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslValidationException;

/**
 * One immutable version of a state machine's definition and role. Executions keep the revision they
 * started with, so updates never change a running execution (as on AWS). Revisions loaded from disk
 * compile lazily: old ones are only read back for DescribeStateMachineForExecution.
 */
final class Revision {
  final String revisionId;
  final String stateMachineArn;
  final String definition;
  final String roleArn;
  final long updateMillis;
  private volatile AslDefinition compiled;

  Revision(
      String revisionId,
      String stateMachineArn,
      String definition,
      String roleArn,
      long updateMillis,
      AslDefinition compiled) {
    this.revisionId = revisionId;
    this.stateMachineArn = stateMachineArn;
    this.definition = definition;
    this.roleArn = roleArn;
    this.updateMillis = updateMillis;
    this.compiled = compiled;
  }

  AslDefinition compiled() throws AslValidationException {
    AslDefinition c = compiled;
    if (c == null) {
      c = AslDefinition.parse(definition);
      compiled = c;
    }
    return c;
  }
}
