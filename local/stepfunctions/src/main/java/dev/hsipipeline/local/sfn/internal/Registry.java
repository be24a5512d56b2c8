package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.ExecutionListener;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslInterpreter;
import dev.hsipipeline.local.sfn.asl.AslValidationException;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.ResumePoint;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Step Functions service state: state machines, executions and their histories.
 *
 * <p>Reads are served from an in-memory index (O(1) per lookup, O(page) per list/history page);
 * writes are appended to the {@link Store}'s queue and committed in groups by its writer. Each
 * execution runs on its own virtual thread through the {@link AslInterpreter}.
 */
public final class Registry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  /** Largest execution input AWS accepts (bytes, UTF-8). */
  static final int MAX_INPUT_BYTES = 262_144;

  /** Largest definition AWS accepts (characters). */
  static final int MAX_DEFINITION_CHARS = 1_048_576;

  private static final long DURABLE_TIMEOUT_SECONDS = 30;
  private static final Set<String> TERMINAL_TYPES =
      Set.of("ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut");

  /** Settings fixed at construction. */
  public record Config(
      String region, String accountId, Path dataDir, TaskInvoker taskInvoker, int hotExecutions) {}

  private final Config config;
  private final Store store;
  private final AslInterpreter interpreter = new AslInterpreter();
  private final List<ExecutionListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentSkipListMap<String, StateMachineRecord> machines =
      new ConcurrentSkipListMap<>();
  private final Map<String, Revision> revisions = new ConcurrentHashMap<>();
  private final Map<String, ExecutionRecord> executions = new ConcurrentHashMap<>();
  private final Map<String, ExecList> bySm = new ConcurrentHashMap<>();
  private final Set<ExecutionRecord> running = ConcurrentHashMap.newKeySet();
  private final AtomicLong seqGen;
  private final Object smLock = new Object();

  /** Executions a previous run left RUNNING, until {@link #resumeInterrupted()} takes them. */
  private final List<ExecutionRecord> interrupted = new ArrayList<>();

  private volatile boolean closing;

  /**
   * Opens the store and restores everything. Executions a previous run left RUNNING wait for {@link
   * #resumeInterrupted()}.
   */
  public Registry(Config config) {
    this.config = config;
    this.store = Store.open(config.dataDir(), Math.max(0, config.hotExecutions()));
    Store.Loaded loaded;
    try {
      loaded = store.load();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    revisions.putAll(loaded.revisions());
    for (StateMachineRecord sm : loaded.machines()) {
      machines.put(sm.arn(), sm);
      bySm.put(sm.arn(), new ExecList());
    }
    store.start();
    for (ExecutionRecord rec : loaded.executions()) {
      executions.put(rec.arn, rec);
      bySm.computeIfAbsent(rec.stateMachineArn, k -> new ExecList()).add(rec);
      if (rec.isRunning()) {
        interrupted.add(rec);
      }
    }
    this.seqGen = new AtomicLong(loaded.maxSeq());
    awaitDurable(barrier());
    LOG.info(
        "Step Functions store ready: {} state machine(s), {} execution(s)",
        machines.size(),
        executions.size());
  }

  /**
   * Continues every execution a previous run left RUNNING (stopped or killed mid-execution), as the
   * AWS service would never have stopped: each goes on from the top-level state it was in, after an
   * {@code ExecutionRedriven} event, keeping its original deadline. One that cannot be resumed (its
   * history is unreadable) ends FAILED with States.Runtime and the reason. Call once the task
   * invoker can take work; returns how many were resumed.
   */
  public int resumeInterrupted() {
    List<ExecutionRecord> todo;
    synchronized (interrupted) {
      todo = new ArrayList<>(interrupted);
      interrupted.clear();
    }
    int resumed = 0;
    for (ExecutionRecord rec : todo) {
      if (closing) {
        break;
      }
      try {
        resume(rec);
        resumed++;
      } catch (Exception e) {
        String cause =
            "The local stack stopped while this execution was running and it could not be resumed: "
                + e.getMessage();
        ObjectNode d = Json.object().put("error", "States.Runtime").put("cause", cause);
        long now = System.currentTimeMillis();
        HistoryEvent ev = rec.failAfterRestart(now, "States.Runtime", cause, Json.write(d));
        store.enqueue(new Store.AppendEvent(rec.seq, ev));
        store.enqueue(
            new Store.FinishExecution(rec, "FAILED", now, null, "States.Runtime", cause, ev.id()));
        LOG.warn(
            "Execution {} could not be resumed after a restart; marked FAILED: {}",
            rec.arn,
            e.getMessage());
      }
    }
    if (resumed > 0) {
      LOG.warn(
          "{} execution(s) were running when the local stack last stopped; resumed where they were",
          resumed);
    }
    return resumed;
  }

  private void resume(ExecutionRecord rec) throws AslValidationException, JsonProcessingException {
    String input = store.loadInputOutput(rec.seq)[0];
    List<HistoryEvent> events = store.loadEvents(rec.seq, 1, rec.lastEventId());
    if (input == null || events.isEmpty() || events.size() != rec.lastEventId()) {
      throw new IllegalStateException(
          "its stored history is incomplete ("
              + events.size()
              + " of "
              + rec.lastEventId()
              + " events)");
    }
    JsonNode inputNode = Json.MAPPER.readTree(input);
    AslDefinition definition = rec.revision.compiled();
    ResumePoint at = ResumePoint.find(definition, inputNode, recorded(events));
    rec.reload(input, events);
    continueAt(
        rec, definition, inputNode, at, Math.max(0, System.currentTimeMillis() - rec.startMillis));
  }

  private static List<ResumePoint.Event> recorded(List<HistoryEvent> events)
      throws JsonProcessingException {
    List<ResumePoint.Event> out = new ArrayList<>(events.size());
    for (HistoryEvent e : events) {
      out.add(
          new ResumePoint.Event(
              e.type(), e.detailsJson() == null ? null : Json.MAPPER.readTree(e.detailsJson())));
    }
    return out;
  }

  /** Records ExecutionRedriven and runs the (RUNNING, hot) execution on from {@code at}. */
  private void continueAt(
      ExecutionRecord rec,
      AslDefinition definition,
      JsonNode input,
      ResumePoint at,
      long elapsedMillis) {
    HistorySink sink = sink(rec);
    long redriven =
        sink.record(
            ResumePoint.REDRIVEN_EVENT,
            Json.object().put("redriveCount", at.redriveCount()),
            rec.lastEventId());
    running.add(rec);
    notify(l -> l.executionStarted(info(rec)));
    ExecutionContext ctx =
        new ExecutionContext(
            rec.arn,
            rec.name,
            Instant.ofEpochMilli(rec.startMillis),
            rec.revision.roleArn,
            rec.stateMachineArn,
            rec.stateMachineName);
    Thread t =
        Thread.ofVirtual()
            .name("sfn-exec-", rec.seq)
            .unstarted(
                () ->
                    runToEnd(
                        rec,
                        () ->
                            interpreter.resume(
                                definition,
                                input,
                                at,
                                elapsedMillis,
                                ctx,
                                config.taskInvoker(),
                                sink,
                                redriven)));
    rec.thread(t);
    t.start();
  }

  /** How long after its end AWS lets an execution be redriven. */
  private static final long REDRIVABLE_MILLIS = TimeUnit.DAYS.toMillis(14);

  /**
   * RedriveExecution: an execution that ended FAILED, TIMED_OUT or ABORTED continues from its
   * unsuccessful top-level state with that state's recorded input, after an {@code
   * ExecutionRedriven} event; states that succeeded are not run again. Returns the redrive time.
   */
  long redriveExecution(String arn) {
    ExecutionRecord rec = execution(arn);
    ExecutionRecord.Snapshot s = rec.snapshot();
    String status = s.status();
    if (!(status.equals("FAILED") || status.equals("TIMED_OUT") || status.equals("ABORTED"))) {
      throw ApiException.of(
          "ExecutionNotRedrivable", "Execution is " + status + " and cannot be redriven");
    }
    long now = System.currentTimeMillis();
    if (now - s.stopMillis() > REDRIVABLE_MILLIS) {
      throw ApiException.of("ExecutionNotRedrivable", "Execution redrivable period exceeded");
    }
    if (closing) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    // A stopped execution's thread may still be unwinding; its last events must not land in the
    // redriven run.
    Thread previous = rec.lastThread();
    if (previous != null && previous != Thread.currentThread()) {
      try {
        if (!previous.join(Duration.ofSeconds(10))) {
          throw ApiException.of(
              "ExecutionNotRedrivable", "Execution is still stopping; retry the redrive");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiException.unavailable("Interrupted while waiting for the execution to stop");
      }
    }
    s = rec.snapshot();
    List<HistoryEvent> events = rec.eventsInMemory(1, s.lastEventId());
    String input = s.input();
    if (events == null || input == null) {
      events = store.loadEvents(rec.seq, 1, s.lastEventId());
      input = store.loadInputOutput(rec.seq)[0];
    }
    AslDefinition definition;
    ResumePoint at;
    JsonNode inputNode;
    try {
      definition = rec.revision.compiled();
      inputNode = Json.MAPPER.readTree(input);
      at = ResumePoint.findForRedrive(definition, inputNode, recorded(events));
    } catch (AslValidationException | JsonProcessingException | RuntimeException e) {
      throw ApiException.of(
          "ExecutionNotRedrivable", "Execution history cannot be redriven: " + e.getMessage());
    }
    if (!rec.reopen(input, events)) {
      throw ApiException.of(
          "ExecutionNotRedrivable", "Execution is " + rec.status() + " and cannot be redriven");
    }
    // RUNNING again on disk; the ExecutionRedriven event follows in the same writer queue.
    store.enqueue(
        new Store.FinishExecution(
            rec, ExecutionRecord.RUNNING, 0, null, null, null, rec.lastEventId()));
    continueAt(rec, definition, inputNode, at, 0);
    awaitDurable(barrier());
    return now;
  }

  public void addListener(ExecutionListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  String region() {
    return config.region();
  }

  String accountId() {
    return config.accountId();
  }

  // ------------------------------------------------------------------ state machines

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

  Created createStateMachine(
      String name,
      String definition,
      String roleArn,
      String type,
      String loggingJson,
      String tracingJson,
      String description) {
    String problem = Names.nameProblem(name);
    if (problem != null) {
      throw ApiException.invalidName(String.valueOf(name), problem);
    }
    checkRoleArn(roleArn);
    AslDefinition compiled = compile(definition);
    String arn = Names.stateMachineArn(config.region(), config.accountId(), name);
    StateMachineRecord sm;
    synchronized (smLock) {
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
      bySm.put(arn, new ExecList());
      machines.put(arn, sm);
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    persist(new Store.UpsertStateMachine(sm, durable), durable);
    return new Created(sm, true);
  }

  StateMachineRecord updateStateMachine(
      String arn, String definition, String roleArn, String loggingJson, String tracingJson) {
    stateMachineFor(arn);
    if (definition == null && roleArn == null && loggingJson == null && tracingJson == null) {
      throw ApiException.missingRequiredParameter(
          "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    if (roleArn != null) {
      checkRoleArn(roleArn);
    }
    AslDefinition compiled = definition == null ? null : compile(definition);
    StateMachineRecord updated;
    synchronized (smLock) {
      StateMachineRecord sm = stateMachineFor(arn);
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
    persist(new Store.UpsertStateMachine(updated, durable), durable);
    return updated;
  }

  /**
   * Deletes a state machine and its closed executions (running ones go on until they end, as on
   * AWS). Deleting an unknown state machine succeeds, as AWS's DeleteStateMachine does.
   */
  void deleteStateMachine(String arn) {
    Names.parse(arn, "stateMachine");
    List<Long> gone = new ArrayList<>();
    synchronized (smLock) {
      if (machines.remove(arn) == null) {
        return;
      }
      ExecList list = bySm.remove(arn);
      if (list != null) {
        for (int i = 0, n = list.size(); i < n; i++) {
          ExecutionRecord rec = list.get(i);
          if (!rec.isRunning()) {
            executions.remove(rec.arn, rec);
            gone.add(rec.seq);
          }
        }
      }
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    persist(new Store.DeleteStateMachine(arn, gone, durable), durable);
  }

  StateMachineRecord stateMachineFor(String arn) {
    Names.Arn parsed = Names.parse(arn, "stateMachine");
    StateMachineRecord sm = parsed.second() == null ? machines.get(arn) : null;
    if (sm == null) {
      throw ApiException.stateMachineDoesNotExist(arn);
    }
    return sm;
  }

  /** State machines in ARN (= name) order. */
  List<StateMachineRecord> stateMachines() {
    return new ArrayList<>(machines.values());
  }

  /** State machines after {@code afterArn} (exclusive), in ARN order. */
  List<StateMachineRecord> stateMachinesAfter(String afterArn, int max) {
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
  public String createOrUpdateStateMachine(String name, String definition, String roleArn) {
    String arn = Names.stateMachineArn(config.region(), config.accountId(), name);
    StateMachineRecord existing = machines.get(arn);
    if (existing == null) {
      try {
        return createStateMachine(name, definition, roleArn, "STANDARD", null, null, null)
            .sm()
            .arn();
      } catch (ApiException e) {
        if (!"StateMachineAlreadyExists".equals(e.code())) {
          throw e;
        }
      }
      existing = stateMachineFor(arn);
    }
    if (!existing.revision().definition.equals(definition)
        || !Objects.equals(existing.revision().roleArn, roleArn)) {
      updateStateMachine(arn, definition, roleArn, null, null);
    }
    return arn;
  }

  // ------------------------------------------------------------------ executions

  /**
   * Starts an execution, or returns the running one with the same name and input (AWS's idempotency
   * for STANDARD workflows). Returns after the execution is durably recorded.
   */
  ExecutionRecord startExecution(String smArn, String name, String input) {
    StateMachineRecord sm = stateMachineFor(smArn);
    if (name == null) {
      name = UUID.randomUUID().toString();
    } else {
      String problem = Names.nameProblem(name);
      if (problem != null) {
        throw ApiException.invalidName(name, problem);
      }
    }
    if (input == null) {
      input = "{}";
    }
    if (input.length() > MAX_INPUT_BYTES / 4
        && input.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'input' failed to satisfy constraint: "
              + "Member must have length less than or equal to "
              + MAX_INPUT_BYTES);
    }
    JsonNode inputNode;
    try {
      inputNode = Json.MAPPER.readTree(input);
    } catch (JsonProcessingException e) {
      throw ApiException.invalidExecutionInput(
          "input is not valid JSON: "
              + e.getOriginalMessage()
              + " at character "
              + e.getLocation().getCharOffset());
    }
    if (inputNode == null || inputNode.isMissingNode()) {
      throw ApiException.invalidExecutionInput("input is empty; pass a JSON text such as {}");
    }
    if (closing) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    String arn = Names.executionArn(config.region(), config.accountId(), sm.name(), name);
    ExecutionRecord existing = executions.get(arn);
    if (existing != null) {
      return idempotent(existing, input);
    }
    ExecList list = bySm.get(sm.arn());
    if (list == null) {
      throw ApiException.stateMachineDoesNotExist(smArn);
    }
    ExecutionRecord rec;
    long now = System.currentTimeMillis();
    CompletableFuture<Void> durable = new CompletableFuture<>();
    synchronized (list) {
      existing = executions.get(arn);
      if (existing != null) {
        return idempotent(existing, input);
      }
      rec =
          new ExecutionRecord(
              seqGen.incrementAndGet(), arn, name, sm.arn(), sm.name(), sm.revision(), now, input);
      executions.put(arn, rec);
      list.add(rec);
      store.enqueue(new Store.InsertExecution(rec, input, null));
    }
    Revision rev = sm.revision();
    HistorySink sink = sink(rec);
    record(rec, "ExecutionStarted", startedDetails(input, rev.roleArn), null, 0);
    // Answer only once the execution row and its ExecutionStarted event are committed: the
    // barrier follows both in the writer's queue.
    if (!store.enqueue(new Store.Barrier(durable))) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    running.add(rec);
    notify(l -> l.executionStarted(info(rec)));
    ExecutionContext ctx =
        new ExecutionContext(
            arn, name, Instant.ofEpochMilli(now), rev.roleArn, sm.arn(), sm.name());
    Thread t =
        Thread.ofVirtual()
            .name("sfn-exec-", rec.seq)
            .unstarted(() -> run(rec, rev, inputNode, ctx, sink));
    rec.thread(t);
    t.start();
    awaitDurable(durable);
    return rec;
  }

  private static ExecutionRecord idempotent(ExecutionRecord existing, String input) {
    String runningInput = existing.inputIfRunning();
    if (runningInput != null && runningInput.equals(input)) {
      return existing;
    }
    throw ApiException.executionAlreadyExists(existing.arn);
  }

  private void run(
      ExecutionRecord rec, Revision rev, JsonNode input, ExecutionContext ctx, HistorySink sink) {
    // the first interpreter event follows ExecutionStarted (id 1)
    runToEnd(
        rec, () -> interpreter.execute(rev.compiled(), input, ctx, config.taskInvoker(), sink));
  }

  private interface Interpretation {
    ExecutionOutcome run() throws AslValidationException;
  }

  private void runToEnd(ExecutionRecord rec, Interpretation interpretation) {
    ExecutionOutcome outcome;
    try {
      outcome = interpretation.run();
      if (outcome == null) {
        outcome =
            new ExecutionOutcome(
                ExecutionOutcome.Status.FAILED,
                null,
                "States.Runtime",
                "The interpreter returned no outcome");
      }
    } catch (Throwable t) {
      LOG.error("Execution {} failed inside the local interpreter", rec.arn, t);
      outcome =
          new ExecutionOutcome(
              ExecutionOutcome.Status.FAILED,
              null,
              "States.Runtime",
              "Internal error in the local Step Functions interpreter: " + t);
    }
    if (closing && outcome.status() == ExecutionOutcome.Status.ABORTED) {
      // Interrupted by close(): leave it RUNNING on disk; the next start resumes it instead of
      // pretending a user aborted it.
      return;
    }
    finish(rec, outcome);
  }

  private HistorySink sink(ExecutionRecord rec) {
    return (type, details, previousEventId) -> {
      if (closing) {
        // Events produced by close()'s interrupt (e.g. ExecutionAborted) must not reach the
        // database: the execution stays RUNNING there and the next start fails it explicitly.
        return rec.lastEventId();
      }
      String json = details == null || details.isEmpty() ? null : Json.write(details);
      return record(rec, type, json, details, previousEventId);
    };
  }

  /** Appends one event whose details are already serialized ({@code json}, or null for none). */
  private long record(
      ExecutionRecord rec, String type, String json, ObjectNode details, long previousEventId) {
    HistoryEvent e;
    synchronized (rec) {
      e =
          rec.append(
              type,
              json,
              previousEventId,
              System.currentTimeMillis(),
              TERMINAL_TYPES.contains(type));
      if (e == null) {
        return rec.lastEventId();
      }
      store.enqueue(new Store.AppendEvent(rec.seq, e));
    }
    if (type.endsWith("StateEntered") && !listeners.isEmpty()) {
      JsonNode n = details == null ? null : details.get("name");
      String stateName = n == null ? null : n.asText();
      notify(l -> l.stateEntered(info(rec), stateName, type));
    }
    return e.id();
  }

  /**
   * ExecutionStarted's details, {@code {"input":..., "inputDetails":{"truncated":false},
   * "roleArn":...}}, written straight into one string: the same text Jackson writes for that object
   * (same members, order and escaping) without building and serializing a tree per start.
   */
  static String startedDetails(String input, String roleArn) {
    StringBuilder sb =
        new StringBuilder(input.length() + (roleArn == null ? 0 : roleArn.length()) + 96);
    sb.append("{\"input\":");
    Json.quote(sb, input);
    sb.append(",\"inputDetails\":{\"truncated\":false}");
    if (roleArn != null) {
      sb.append(",\"roleArn\":");
      Json.quote(sb, roleArn);
    }
    return sb.append('}').toString();
  }

  private void finish(ExecutionRecord rec, ExecutionOutcome outcome) {
    String status = outcome.status().name();
    String output = outcome.output() == null ? null : Json.write(outcome.output());
    String error = outcome.status() == ExecutionOutcome.Status.SUCCEEDED ? null : outcome.error();
    String cause = outcome.status() == ExecutionOutcome.Status.SUCCEEDED ? null : outcome.cause();
    ObjectNode d = Json.object();
    String type =
        switch (outcome.status()) {
          case SUCCEEDED -> "ExecutionSucceeded";
          case FAILED -> "ExecutionFailed";
          case TIMED_OUT -> "ExecutionTimedOut";
          case ABORTED -> "ExecutionAborted";
        };
    if (outcome.status() == ExecutionOutcome.Status.SUCCEEDED) {
      d.put("output", output);
      d.putObject("outputDetails").put("truncated", false);
    } else {
      putIfNotNull(d, "error", error);
      putIfNotNull(d, "cause", cause);
    }
    end(rec, status, output, error, cause, type, d);
  }

  private boolean end(
      ExecutionRecord rec,
      String status,
      String output,
      String error,
      String cause,
      String type,
      ObjectNode details) {
    List<HistoryEvent> appended = new ArrayList<>(1);
    synchronized (rec) {
      String t = rec.engineRecordedEnd() ? null : type;
      String json = details.isEmpty() ? null : Json.write(details);
      if (!rec.end(status, System.currentTimeMillis(), output, error, cause, t, json, appended)) {
        return false;
      }
      for (HistoryEvent e : appended) {
        store.enqueue(new Store.AppendEvent(rec.seq, e));
      }
      ExecutionRecord.Snapshot s = rec.snapshot();
      store.enqueue(
          new Store.FinishExecution(
              rec, status, s.stopMillis(), output, error, cause, s.lastEventId()));
    }
    running.remove(rec);
    notify(l -> l.executionEnded(info(rec)));
    return true;
  }

  private static void putIfNotNull(ObjectNode n, String k, String v) {
    if (v != null) {
      n.put(k, v);
    }
  }

  ExecutionRecord execution(String arn) {
    Names.parse(arn, "execution");
    ExecutionRecord rec = executions.get(arn);
    if (rec == null) {
      throw ApiException.executionDoesNotExist(arn);
    }
    return rec;
  }

  /** input and output of an execution (from memory when hot, else from the database). */
  String[] inputOutput(ExecutionRecord rec, ExecutionRecord.Snapshot s) {
    if (!s.cold()) {
      return new String[] {s.input(), s.output()};
    }
    return store.loadInputOutput(rec.seq);
  }

  /**
   * Stops a running execution (ABORTED, with an ExecutionAborted event); for an execution that has
   * already ended this changes nothing and returns its stop date.
   */
  long stopExecution(String arn, String error, String cause) {
    ExecutionRecord rec = execution(arn);
    Thread t = rec.thread();
    ObjectNode d = Json.object();
    putIfNotNull(d, "error", error);
    putIfNotNull(d, "cause", cause);
    if (end(rec, "ABORTED", null, error, cause, "ExecutionAborted", d) && t != null) {
      t.interrupt();
    }
    return rec.snapshot().stopMillis();
  }

  /** A page of executions, newest first. */
  record ExecPage(List<ExecutionRecord> items, String nextToken) {}

  ExecPage listExecutions(String smArn, String statusFilter, int max, String token) {
    StateMachineRecord sm = stateMachineFor(smArn);
    ExecList list = bySm.get(sm.arn());
    long before = Long.MAX_VALUE;
    String prefix = "x:" + Integer.toHexString(sm.arn().hashCode()) + ":" + statusFilter + ":";
    if (token != null) {
      String raw = Json.untoken(token);
      if (!raw.startsWith(prefix)) {
        throw ApiException.invalidToken("the token belongs to a different ListExecutions request");
      }
      try {
        before = Long.parseLong(raw.substring(prefix.length()));
      } catch (NumberFormatException e) {
        throw ApiException.invalidToken("malformed token");
      }
    }
    List<ExecutionRecord> out = new ArrayList<>(Math.min(max, 1000));
    if (list == null) {
      return new ExecPage(out, null);
    }
    int i = list.indexBefore(before);
    for (; i >= 0; i--) {
      ExecutionRecord rec = list.get(i);
      if (statusFilter != null && !statusFilter.equals(rec.status())) {
        continue;
      }
      if (out.size() == max) {
        return new ExecPage(out, Json.token(prefix + out.get(out.size() - 1).seq));
      }
      out.add(rec);
    }
    return new ExecPage(out, null);
  }

  /** A page of history events. */
  record HistoryPage(List<HistoryEvent> events, String nextToken) {}

  HistoryPage history(String arn, int max, boolean reverse, String token) {
    ExecutionRecord rec = execution(arn);
    int last = rec.lastEventId();
    String prefix = "h:" + rec.seq + ":" + (reverse ? "r" : "f") + ":";
    int start;
    if (token == null) {
      start = reverse ? last : 1;
    } else {
      String raw = Json.untoken(token);
      if (!raw.startsWith(prefix)) {
        throw ApiException.invalidToken(
            "the token belongs to a different GetExecutionHistory request");
      }
      try {
        start = Integer.parseInt(raw.substring(prefix.length()));
      } catch (NumberFormatException e) {
        throw ApiException.invalidToken("malformed token");
      }
    }
    int from;
    int to;
    String next = null;
    if (!reverse) {
      from = start;
      to = (int) Math.min(last, (long) start + max - 1);
      if (to < last) {
        next = Json.token(prefix + (to + 1));
      }
    } else {
      to = Math.min(start, last);
      from = Math.max(1, to - max + 1);
      if (from > 1) {
        next = Json.token(prefix + (from - 1));
      }
    }
    if (from > to) {
      return new HistoryPage(List.of(), null);
    }
    List<HistoryEvent> events = rec.eventsInMemory(from, to);
    if (events == null) {
      events = store.loadEvents(rec.seq, from, to);
    }
    if (reverse) {
      events = new ArrayList<>(events);
      Collections.reverse(events);
    }
    return new HistoryPage(events, next);
  }

  static ExecutionInfo info(ExecutionRecord rec) {
    ExecutionRecord.Snapshot s = rec.snapshot();
    return new ExecutionInfo(
        rec.arn,
        rec.stateMachineArn,
        rec.name,
        s.status(),
        Instant.ofEpochMilli(rec.startMillis),
        s.stopMillis() == 0 ? null : Instant.ofEpochMilli(s.stopMillis()),
        s.error(),
        s.cause());
  }

  /** Summary of an execution for the Java API (CLI/console); null when unknown. */
  public ExecutionInfo executionInfo(String executionArn) {
    ExecutionRecord rec = executions.get(executionArn);
    return rec == null ? null : info(rec);
  }

  private void notify(java.util.function.Consumer<ExecutionListener> call) {
    for (ExecutionListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("Execution listener {} failed: {}", l, e.toString());
      }
    }
  }

  private CompletableFuture<Void> barrier() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (!store.enqueue(new Store.Barrier(f))) {
      f.complete(null);
    }
    return f;
  }

  private void persist(Store.Op op, CompletableFuture<Void> durable) {
    if (!store.enqueue(op)) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    awaitDurable(durable);
  }

  private static void awaitDurable(CompletableFuture<Void> f) {
    try {
      f.get(DURABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("Interrupted while persisting");
    } catch (ExecutionException e) {
      throw ApiException.internal("Could not persist the change: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw ApiException.unavailable(
          "Persisting took longer than " + DURABLE_TIMEOUT_SECONDS + " s; retry");
    }
  }

  /** Blocks until every write queued so far is committed. */
  public void flush() {
    awaitDurable(barrier());
  }

  /** Writes queued but not yet picked up by the writer (a backlog indicator for benchmarks). */
  public int pendingWrites() {
    return store.queueDepth();
  }

  /**
   * Stops: interrupts running executions without recording an outcome for them (a restart marks
   * them FAILED with a clear cause), then writes everything queued and closes the database.
   */
  @Override
  public void close() {
    closing = true;
    List<Thread> threads = new ArrayList<>();
    for (ExecutionRecord rec : running) {
      Thread t = rec.thread();
      if (t != null) {
        threads.add(t);
        t.interrupt();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    store.close();
  }

  /**
   * Executions of one state machine in start order: an append-only chunked array whose reads need
   * no lock (elements are published before the volatile size).
   */
  static final class ExecList {
    private static final int SHIFT = 10;
    private static final int CHUNK = 1 << SHIFT;
    private volatile ExecutionRecord[][] chunks = new ExecutionRecord[8][];
    private volatile int size;

    synchronized void add(ExecutionRecord r) {
      int i = size;
      int c = i >>> SHIFT;
      ExecutionRecord[][] cs = chunks;
      if (c >= cs.length) {
        cs = java.util.Arrays.copyOf(cs, cs.length * 2);
      }
      if (cs[c] == null) {
        cs[c] = new ExecutionRecord[CHUNK];
      }
      cs[c][i & (CHUNK - 1)] = r;
      chunks = cs;
      size = i + 1;
    }

    int size() {
      return size;
    }

    ExecutionRecord get(int i) {
      return chunks[i >>> SHIFT][i & (CHUNK - 1)];
    }

    /** Index of the last element with seq &lt; {@code seq}, or -1. */
    int indexBefore(long seq) {
      int lo = 0;
      int hi = size - 1;
      int ans = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (get(mid).seq < seq) {
          ans = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return ans;
    }
  }
}
