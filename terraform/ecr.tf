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

resource "aws_ecr_lifecycle_policy" "job" {
  for_each = aws_ecr_repository.job

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.ecr_keep_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_keep_images
      }
      action = { type = "expire" }
    }]
  })
}
