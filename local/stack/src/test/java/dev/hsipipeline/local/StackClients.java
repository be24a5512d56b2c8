package dev.hsipipeline.local;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients for a running local stack, signed with the given caller's credentials (tests). */
public final class StackClients {
  private StackClients() {}

  public static S3Client s3(LocalStack stack, AwsCredentialsProvider credentials) {
    return S3Client.builder()
        .endpointOverride(stack.s3Endpoint())
        .forcePathStyle(true)
        .region(Region.of(stack.settings().region()))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public static SqsClient sqs(LocalStack stack, AwsCredentialsProvider credentials) {
    return SqsClient.builder()
        .endpointOverride(stack.sqsEndpoint())
        .region(Region.of(stack.settings().region()))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public static SfnClient sfn(LocalStack stack, AwsCredentialsProvider credentials) {
    return SfnClient.builder()
        .endpointOverride(stack.sfnEndpoint())
        .region(Region.of(stack.settings().region()))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
