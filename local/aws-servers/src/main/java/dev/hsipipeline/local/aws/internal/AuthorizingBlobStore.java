package dev.hsipipeline.local.aws.internal;

import dev.hsipipeline.local.aws.iam.Decision;
import dev.hsipipeline.local.aws.iam.Iam;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetBucketAclRequest;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3Proxy's storage seen through one caller's permissions: every blob-store operation S3Proxy
 * performs for a request is first authorised as the IAM action AWS requires for it (HEAD and ranged
 * GET are {@code s3:GetObject}, multipart parts {@code s3:PutObject}, a copy needs {@code
 * s3:GetObject} on the source and {@code s3:PutObject} on the target). A denial is S3's {@code
 * AccessDenied} error with AWS's message. S3Proxy checked the request's signature against the
 * caller's secret before it gets here.
 */
public final class AuthorizingBlobStore extends ForwardingBlobStore {

  /**
   * The local endpoints are plain HTTP on the loopback interface and stand for AWS's TLS endpoints:
   * requests count as secure transport (see docs/local.md).
   */
  private static final Map<String, String> CONTEXT = Map.of("aws:SecureTransport", "true");

  /** S3Proxy's name prefix for its multipart-upload stubs (reserved: no client can use it). */
  static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

  private final Iam iam;
  private final String accessKeyId;

  public AuthorizingBlobStore(BlobStore delegate, Iam iam, String accessKeyId) {
    super(delegate);
    this.iam = iam;
    this.accessKeyId = accessKeyId;
  }

  private void check(String action, String resource) {
    Decision d = iam.authorize(accessKeyId, action, resource, CONTEXT);
    if (!d.allowed()) {
      throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED, d.message());
    }
  }

  private boolean allowed(String action, String bucket, String key) {
    return iam.authorize(accessKeyId, action, "arn:aws:s3:::" + bucket + "/" + key, CONTEXT)
        .allowed();
  }

  private void checkBucket(String action, String bucket) {
    check(action, "arn:aws:s3:::" + bucket);
  }

  private void checkObject(String action, String bucket, String key) {
    // S3Proxy keeps a stub object per multipart upload (created, read and removed by the store
    // while it serves CreateMultipartUpload, Complete and Abort, which were authorised on the
    // upload's own key). No request can name such a key: S3Proxy refuses it as reserved.
    if (key != null && key.startsWith(MULTIPART_STUB_PREFIX)) return;
    check(action, "arn:aws:s3:::" + bucket + "/" + key);
  }

  @Override
  public ListBucketsResponse list() {
    check("s3:ListAllMyBuckets", "*");
    return super.list();
  }

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    checkBucket("s3:ListBucket", request.bucket());
    return super.list(request);
  }

  @Override
  public HeadBucketResponse headBucket(HeadBucketRequest request) {
    checkBucket("s3:ListBucket", request.bucket());
    return super.headBucket(request);
  }

  @Override
  public CreateBucketResponse createContainer(CreateBucketRequest request) {
    checkBucket("s3:CreateBucket", request.bucket());
    return super.createContainer(request);
  }

  @Override
  public BucketCannedACL getContainerAccess(String bucket) {
    checkBucket("s3:GetBucketAcl", bucket);
    return super.getContainerAccess(bucket);
  }

  @Override
  public GetBucketAclResponse getContainerAcl(GetBucketAclRequest request) {
    checkBucket("s3:GetBucketAcl", request.bucket());
    return super.getContainerAcl(request);
  }

  @Override
  public void setContainerAccess(String bucket, BucketCannedACL access) {
    checkBucket("s3:PutBucketAcl", bucket);
    super.setContainerAccess(bucket, access);
  }

  @Override
  public void clearContainer(ListObjectsV2Request request) {
    checkObject("s3:DeleteObject", request.bucket(), "*");
    super.clearContainer(request);
  }

  @Override
  public void deleteContainer(String bucket) {
    checkBucket("s3:DeleteBucket", bucket);
    super.deleteContainer(bucket);
  }

  @Override
  public void deleteBucket(String bucket) {
    checkBucket("s3:DeleteBucket", bucket);
    super.deleteBucket(bucket);
  }

  @Override
  public boolean blobExists(String bucket, String key) {
    checkObject("s3:GetObject", bucket, key);
    return super.blobExists(bucket, key);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
    checkObject("s3:PutObject", request.bucket(), request.key());
    return super.putBlob(request, body);
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    checkObject("s3:GetObject", request.sourceBucket(), request.sourceKey());
    checkObject("s3:PutObject", request.destinationBucket(), request.destinationKey());
    return super.copyBlob(request);
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    checkObject("s3:GetObject", request.bucket(), request.key());
    return super.blobMetadata(request);
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    checkObject("s3:GetObject", request.bucket(), request.key());
    return super.getBlob(request);
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    checkObject("s3:DeleteObject", request.bucket(), request.key());
    return super.removeBlob(request);
  }

  @Override
  public GetBucketVersioningResponse getBucketVersioning(GetBucketVersioningRequest request) {
    checkBucket("s3:GetBucketVersioning", request.bucket());
    return super.getBucketVersioning(request);
  }

  @Override
  public PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
    checkBucket("s3:PutBucketVersioning", request.bucket());
    return super.putBucketVersioning(request);
  }

  @Override
  public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
    checkBucket("s3:ListBucketVersions", request.bucket());
    return super.listVersions(request);
  }

  @Override
  public GetBucketEncryptionResponse getBucketEncryption(GetBucketEncryptionRequest request) {
    checkBucket("s3:GetEncryptionConfiguration", request.bucket());
    return super.getBucketEncryption(request);
  }

  @Override
  public PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request) {
    checkBucket("s3:PutEncryptionConfiguration", request.bucket());
    return super.putBucketEncryption(request);
  }

  @Override
  public ObjectCannedACL getBlobAccess(String bucket, String key) {
    checkObject("s3:GetObjectAcl", bucket, key);
    return super.getBlobAccess(bucket, key);
  }

  @Override
  public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
    checkObject("s3:GetObjectAcl", request.bucket(), request.key());
    return super.getBlobAcl(request);
  }

  @Override
  public void setBlobAccess(String bucket, String key, ObjectCannedACL access) {
    checkObject("s3:PutObjectAcl", bucket, key);
    super.setBlobAccess(bucket, key, access);
  }

  @Override
  public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
    checkObject("s3:PutObject", request.bucket(), request.key());
    return super.initiateMultipartUpload(request);
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    checkObject("s3:AbortMultipartUpload", upload.containerName(), upload.blobName());
    super.abortMultipartUpload(upload);
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    checkObject("s3:PutObject", upload.containerName(), upload.blobName());
    return super.completeMultipartUpload(upload, request);
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream body) {
    checkObject("s3:PutObject", upload.containerName(), upload.blobName());
    return super.uploadMultipartPart(upload, request, body);
  }

  @Override
  public List<Part> listMultipartUpload(MultipartUpload upload) {
    // S3Proxy also lists the parts itself while serving CompleteMultipartUpload, which AWS
    // authorises as s3:PutObject alone; the store cannot tell that call from a ListParts request,
    // so either action allows it (locally, PutObject alone also lets a caller list its parts).
    if (!allowed("s3:PutObject", upload.containerName(), upload.blobName()))
      checkObject("s3:ListMultipartUploadParts", upload.containerName(), upload.blobName());
    return super.listMultipartUpload(upload);
  }

  @Override
  public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(
      String bucket) {
    checkBucket("s3:ListBucketMultipartUploads", bucket);
    return super.listMultipartUploads(bucket);
  }
}
