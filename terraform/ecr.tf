# One repository per job image: <registry>/<name_prefix>/<job>, which is what
# `-Dimage.registry=<ecr_registry output>` makes Jib push (see docs/deploy.md).

resource "aws_ecr_repository" "job" {
  for_each = local.jobs

  name                 = "${var.name_prefix}/${each.key}"
  image_tag_mutability = var.ecr_image_tag_mutability
  force_delete         = var.force_destroy

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

# ECR evaluates rules by priority and never lets a lower-priority rule expire an image that a
# higher-priority rule's tag selection matched. Rule 1 matches exactly the tag the job
# definitions run (image_tag) and keeps it, so pushing more images than ecr_keep_images can
# never remove the image a live job definition pulls; rule 2 keeps the newest others.
resource "aws_ecr_lifecycle_policy" "job" {
  for_each = aws_ecr_repository.job

  repository = each.value.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Never expire ${var.image_tag}, the tag the job definitions run"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = [var.image_tag]
          countType      = "imageCountMoreThan"
          countNumber    = 1 # one image holds a given tag at a time: nothing is ever expired here
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the last ${var.ecr_keep_images} other images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.ecr_keep_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
