# A task definition written as a heredoc, its image taken from the repository the module creates: the
# repository URL is known only after apply, but it is the repository's address, not a credential, so the
# rest of the definition is read and the password written in it is found.
resource "aws_ecr_repository" "updater" {
  name                 = "efs-updater"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_db_instance" "files" {
  identifier        = "files"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "files"
  manage_master_user_password = true
}

resource "aws_ecs_task_definition" "updater" {
  family                   = "efs-updater"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  # expect+10: AWS-ECS-001
  container_definitions    = <<DEFINITION
[
  {
    "name": "efs-updater",
    "image": "${aws_ecr_repository.updater.repository_url}:latest",
    "essential": true,
    "environment": [
      {"name": "DB_HOST", "value": "${aws_db_instance.files.address}"},
      {"name": "DB_ENDPOINT", "value": "${aws_db_instance.files.endpoint}"},
      {"name": "DB_PASSWORD", "value": "Files-Updater-2024!"}
    ]
  }
]
DEFINITION
}
