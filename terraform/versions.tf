terraform {
  # 1.7 brings mock_provider/override_* used by tests/*.tftest.hcl.
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  # name_prefix/tags reach every taggable resource through default_tags.
  default_tags {
    tags = local.tags
  }
}
