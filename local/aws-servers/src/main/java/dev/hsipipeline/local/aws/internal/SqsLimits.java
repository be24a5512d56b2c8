package dev.hsipipeline.local.aws.internal;

import dev.hsipipeline.local.aws.QueueSpec;
import org.elasticmq.Limit;
import org.elasticmq.LimitedValue;
import org.elasticmq.Limits;
import org.elasticmq.RangeLimit;
import org.elasticmq.StrictSQSLimits$;

/**
 * ElasticMQ's strict SQS limits with today's largest message: SQS raised it from 256 KiB to 1 MiB
 * (2025), ElasticMQ still refuses more than 256 KiB. The per-queue MaximumMessageSize is enforced
 * in front of ElasticMQ by {@link SqsFront}, with SQS's messages.
 */
public final class SqsLimits implements Limits {

  private static final Limits STRICT = StrictSQSLimits$.MODULE$;

  /** The strict limits, messages up to {@link QueueSpec#MAX_MESSAGE_SIZE}. */
  public static final Limits SQS = new SqsLimits();

  private final Limit<Object> maxMessageLength = LimitedValue.apply(QueueSpec.MAX_MESSAGE_SIZE);

  private SqsLimits() {}

  @Override
  public Limit<Object> maxMessageLength() {
    return maxMessageLength;
  }

  @Override
  public Limit<Object> queueNameLengthLimit() {
    return STRICT.queueNameLengthLimit();
  }

  @Override
  public Limit<Object> batchSizeLimit() {
    return STRICT.batchSizeLimit();
  }

  @Override
  public Limit<RangeLimit<Object>> numberOfMessagesLimit() {
    return STRICT.numberOfMessagesLimit();
  }

  @Override
  public Limit<Object> nonEmptyAttributesLimit() {
    return STRICT.nonEmptyAttributesLimit();
  }

  @Override
  public Limit<Object> messageAttributesLimit() {
    return STRICT.messageAttributesLimit();
  }

  @Override
  public Limit<scala.collection.immutable.List<RangeLimit<Object>>> bodyValidCharactersLimit() {
    return STRICT.bodyValidCharactersLimit();
  }

  @Override
  public Limit<RangeLimit<scala.math.BigDecimal>> numberAttributeValueLimit() {
    return STRICT.numberAttributeValueLimit();
  }

  @Override
  public Limit<RangeLimit<Object>> messageWaitTimeLimit() {
    return STRICT.messageWaitTimeLimit();
  }
}
