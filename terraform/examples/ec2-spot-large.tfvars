# Many long processor jobs: Spot EC2 instances (scale to zero when idle), more capacity,
# a longer wait for capacity before queued jobs are cancelled.
compute_type             = "SPOT"
ec2_instance_types       = ["c6i", "m6i", "r6i"]
max_vcpus                = 256
runnable_timeout_seconds = 14400
maximum_concurrency      = 50
