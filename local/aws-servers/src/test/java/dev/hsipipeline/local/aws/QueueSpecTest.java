package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueSpecTest {

  @TempDir Path dir;

  @Test
  void readsTheRepositoryQueueSettings() {
    Path settings = Path.of("../../terraform/queues.json");
    List<QueueSpec> specs = QueueSpec.fromSettings(settings);
    assertEquals(2, specs.size());
    QueueSpec activator = QueueSpec.fromSettingsByRole(settings).get("activator");
    assertEquals("activator-queue", activator.name());
    assertEquals("activator-dlq", activator.dlqName());
    assertTrue(activator.maxReceiveCount() >= 1);
    assertEquals("processor-queue", QueueSpec.fromSettingsByRole(settings).get("processor").name());
  }

  @Test
  void readsAllFieldsOfAnEntry() throws Exception {
    Path f =
        write(
            """
        {"queues": {"x": {"name": "x-queue", "dlq_name": "x-dlq", "max_receive_count": 5,
          "visibility_timeout_seconds": 60, "receive_wait_time_seconds": 10,
          "message_retention_seconds": 7200, "dlq_message_retention_seconds": 86400}}}
        """);
    assertEquals(
        List.of(new QueueSpec("x-queue", "x-dlq", 5, 60, 10, 7200, 86400)),
        QueueSpec.fromSettings(f));
  }

  @Test
  void missingFieldIsNamed() throws Exception {
    Path f = write("{\"queues\": {\"x\": {\"dlq_name\": \"x-dlq\"}}}");
    var e = assertThrows(IllegalArgumentException.class, () -> QueueSpec.fromSettings(f));
    assertTrue(e.getMessage().contains("queues.x.name"), e.getMessage());
  }

  @Test
  void outOfRangeValueIsNamed() throws Exception {
    Path f =
        write(
            "{\"queues\": {\"x\": {\"name\": \"q\", \"dlq_name\": \"d\", \"max_receive_count\": 0}}}");
    var e = assertThrows(IllegalArgumentException.class, () -> QueueSpec.fromSettings(f));
    assertTrue(e.getMessage().contains("max_receive_count"), e.getMessage());
  }

  @Test
  void notJsonIsAClearError() throws Exception {
    Path f = write("queues = {}");
    var e = assertThrows(IllegalArgumentException.class, () -> QueueSpec.fromSettings(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    var missing =
        assertThrows(
            IllegalArgumentException.class, () -> QueueSpec.fromSettings(dir.resolve("none.json")));
    assertTrue(missing.getMessage().contains("none.json"), missing.getMessage());
  }

  @Test
  void invalidQueueNameIsRejected() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new QueueSpec("bad name", null, 0, 30, 0));
    assertTrue(e.getMessage().contains("bad name"));
  }

  private Path write(String json) throws Exception {
    Path f = dir.resolve("queues.json");
    Files.writeString(f, json);
    return f;
  }
}
