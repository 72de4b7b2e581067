resource "aws_secretsmanager_secret" "db" {
  name = "orders/db"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::111122223333:role/ecs-execution"
  task_role_arn            = "arn:aws:iam::111122223333:role/orders-api"

  container_definitions = jsonencode([
    {
      name  = "api"
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2"
      environment = [
        { name = "ORDERS_TABLE", value = "orders" },
        { name = "DB_PASSWORD_SECRET_ARN", value = aws_secretsmanager_secret.db.arn },
      ]
      secrets = [
        { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" },
      ]
    }
  ])
}
