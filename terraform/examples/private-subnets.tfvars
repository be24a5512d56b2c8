# Jobs in private subnets: they need a NAT gateway or VPC endpoints for ECR (api + dkr),
# S3 (gateway), SQS and CloudWatch Logs, because they get no public IP.
vpc_id           = "vpc-0123456789abcdef0"
subnet_ids       = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
assign_public_ip = false
