package dev.hsipipeline.local.internal;

import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.aws.QueueSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The local stack's queues: those Terraform declares, with the settings' overrides applied. */
public final class StackQueues {

  private StackQueues() {}

  /** The queues of queues.json by role, with the settings' visibility timeout when set. */
  public static Map<String, QueueSpec> byRole(StackSettings settings) {
    Map<String, QueueSpec> specs = new LinkedHashMap<>();
    for (Map.Entry<String, QueueSpec> e :
        QueueSpec.fromSettingsByRole(settings.queuesJson()).entrySet()) {
      QueueSpec q = e.getValue();
      if (settings.visibilityTimeoutSeconds() >= 0) {
        q =
            new QueueSpec(
                q.name(),
                q.dlqName(),
                q.maxReceiveCount(),
                settings.visibilityTimeoutSeconds(),
                q.receiveWaitTimeSeconds(),
                q.messageRetentionSeconds(),
                q.dlqMessageRetentionSeconds(),
                q.maxMessageSize());
      }
      specs.put(e.getKey(), q);
    }
    return specs;
  }
}
