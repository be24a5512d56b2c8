package dev.hsipipeline.local.aws.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scalikejdbc.ConnectionPool$;

/**
 * ElasticMQ's SQL message persistence (the standalone server's {@code messages-storage}) wired into
 * the embedded server the way ElasticMQServer does it: a persistence actor receives every
 * queue/message event from the queue manager and restores queues and messages at start. ElasticMQ
 * reaches the database through scalikejdbc's JVM-wide default connection pool, so one store per JVM
 * can be open at a time; a second one fails fast instead of sharing the pool.
 */
public final class SqlMessageStore {
  private static final AtomicReference<Path> OPEN = new AtomicReference<>();

  private final Path dir;
  private final SqlQueuePersistenceConfig persistence;

  private SqlMessageStore(Path dir, SqlQueuePersistenceConfig persistence) {
    this.dir = dir;
    this.persistence = persistence;
  }

  /**
   * Opens the H2 store in {@code requested} (created if needed) as this JVM's one store.
   *
   * @throws IllegalStateException naming the directory when it cannot be used or another store is
   *     open in this JVM
   */
  public static SqlMessageStore open(Path requested) {
    Path dir = requested.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create SQS message store directory " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new IllegalStateException("SQS message store directory " + dir + " is not writable");
    }
    if (!OPEN.compareAndSet(null, dir)) {
      throw new IllegalStateException(
          "cannot open SQS message store "
              + dir
              + ": store "
              + OPEN.get()
              + " is already open in this JVM (ElasticMQ uses one JDBC pool per JVM)");
    }
    // FILE_LOCK=FS: an OS lock, released when a killed process dies (no stale lock file).
    // WRITE_DELAY=0: every committed change reaches the file at once, so kill -9 loses nothing
    // the client was told succeeded.
    String url = "jdbc:h2:file:" + dir.resolve("elasticmq") + ";FILE_LOCK=FS;WRITE_DELAY=0";
    try {
      // ElasticMQ's DB initialises the default pool only once per JVM: point it at this store.
      ConnectionPool$ pools = ConnectionPool$.MODULE$;
      var settings = pools.singleton$default$4();
      pools.singleton(url, "", "", settings, pools.singleton$default$5(url, "", "", settings));
    } catch (RuntimeException e) {
      OPEN.set(null);
      throw new IllegalStateException(
          "cannot open SQS message store " + url + ": " + e.getMessage(), e);
    }
    return new SqlMessageStore(
        dir, new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false));
  }

  /** Creates the persistent queue manager, restores queues and messages, wires the builder. */
  public TheSQSRestServerBuilder restore(ActorSystem system, TheSQSRestServerBuilder builder) {
    SqlQueuePersistenceConfig cfg = persistence;
    scala.collection.immutable.List<CreateQueueMetadata> noBaseQueues =
        scala.collection.immutable.List$.MODULE$.empty();
    ActorRef store =
        system.actorOf(
            Props.create(
                SqlQueuePersistenceActor.class,
                () -> new SqlQueuePersistenceActor(cfg, noBaseQueues)),
            "sqs-message-store");
    ActorRef manager =
        system.actorOf(
            Props.create(
                QueueManagerActor.class,
                () -> new QueueManagerActor(new NowProvider(), SqsLimits.SQS, Option.apply(store))),
            "sqs-queue-manager");
    Object result;
    try {
      result =
          Patterns.ask(store, new QueueEvent.Restore(manager), Duration.ofMinutes(2))
              .toCompletableFuture()
              .get(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restoring SQS queues from " + dir, e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot restore SQS queues and messages from " + dir + ": " + e, e);
    }
    if (result instanceof scala.util.Left<?, ?> left) {
      throw new IllegalStateException(
          "cannot restore SQS queues from " + dir + ": " + left.value());
    }
    return builder.withQueueManagerActor(manager).withQueueEventListener(store);
  }

  /** Closes the JDBC pool (H2 then closes and unlocks the file) and frees the JVM slot. */
  public void close() {
    try {
      ConnectionPool$.MODULE$.close(ConnectionPool$.MODULE$.DEFAULT_NAME());
    } catch (RuntimeException e) {
      // best effort: every write was already committed
    } finally {
      OPEN.compareAndSet(dir, null);
    }
  }
}
