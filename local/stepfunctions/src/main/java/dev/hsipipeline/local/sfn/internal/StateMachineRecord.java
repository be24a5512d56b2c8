package dev.hsipipeline.local.sfn.internal;

/** A state machine as the API describes it; immutable, replaced on update. */
record StateMachineRecord(
    String arn,
    String name,
    String type,
    long creationMillis,
    Revision revision,
    String loggingJson,
    String tracingJson,
    String description) {

  StateMachineRecord withRevision(Revision r, String logging, String tracing) {
    return new StateMachineRecord(
        arn, name, type, creationMillis, r, logging, tracing, description);
  }
}
