package dev.hsipipeline.local.console.internal;

import java.util.Objects;

/**
 * A pipeline queue and its dead-letter queue, as the console shows and addresses them.
 *
 * @param key the short name the console and its API use ({@code activator}, {@code processor})
 * @param queueUrl the source queue's URL
 * @param dlqUrl its dead-letter queue's URL, or null when it has none
 */
public record QueueBinding(String key, String queueUrl, String dlqUrl) {
  public QueueBinding {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(queueUrl, "queueUrl");
    if (!key.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("queue key must be 1-64 of [A-Za-z0-9_-], got: " + key);
    }
  }
}
