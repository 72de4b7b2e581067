resource "aws_iam_user" "api" {
  name = "orders-api"
}

resource "aws_iam_access_key" "api" {
  user = aws_iam_user.api.name
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::111122223333:role/ecs-execution"

  container_definitions = jsonencode([
    {
      name  = "api"
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2"
      environment = [
        { name = "ORDERS_TABLE", value = "orders" },
        { name = "AWS_SECRET_ACCESS_KEY", value = aws_iam_access_key.api.secret }, # expect: AWS-ECS-001
        { name = "DB_PASSWORD", value = "Orders-DB-2024!" },                      # expect: AWS-ECS-001
      ]
    }
  ])
}

resource "aws_ecs_task_definition" "worker" {
  family = "orders-worker"
  # expect+9: AWS-ECS-001
  container_definitions = <<-JSON
    [
      {
        "name": "worker",
        "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders-worker:1.4.2",
        "essential": true,
        "environment": [
          {"name": "QUEUE_URL", "value": "https://sqs.eu-west-1.amazonaws.com/111122223333/orders"},
          {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAIOSFODNN7EXAMPLE"}
        ]
      }
    ]
  JSON
}
