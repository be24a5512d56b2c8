# A dev stack on Fargate Spot: interrupted jobs are retried by the job definitions' retry strategy.
name_prefix        = "hsi-dev"
compute_type       = "FARGATE_SPOT"
max_vcpus          = 8
sfn_log_level      = "ALL"
force_destroy      = true # let `terraform destroy` remove a non-empty bucket and ECR images
log_retention_days = 7
tags = {
  Environment = "dev"
}
