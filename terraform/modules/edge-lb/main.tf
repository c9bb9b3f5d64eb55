# The devices' front door: a network load balancer passing TCP through (TLS ends at EMQX, which
# checks the device certificate) to HAProxy on the edge nodes' host network
# (strimzi/base/edge/emqx/haproxy.yaml), in all three zones.
#
# The case study's connection lessons, as settings:
# - Instance targets with client IP preservation: each device's flow reaches the node with the
#   device's own address and port, so there is no per-target limit of source ports (with IP
#   targets and no preservation an NLB holds about 55,000 connections per target and NLB address)
#   and HAProxy passes the real address on to EMQX (send-proxy-v2). HAProxy does not expect a
#   PROXY header from the load balancer (haproxy.cfg binds without accept-proxy), so the NLB's
#   proxy protocol stays off.
# - TCP listeners, not TLS: a TLS listener's idle timeout is fixed at 350 s; a TCP listener's is
#   set here, and the devices' keep-alive must stay below it (variables.tf checks that).
# - Health from HAProxy's own /healthz (8404), and no connection reset when a target turns
#   unhealthy: a health check that flaps must not drop hundreds of thousands of devices at once
#   (a reconnect storm); new connections go to healthy nodes, existing ones stay.
# - Cross-zone on: devices are spread over every edge node, not per zone of the address DNS gave
#   them; the price is cross-zone traffic.

resource "aws_security_group" "nlb" {
  name        = "${var.name}-nlb"
  description = "Devices to the MQTT load balancer"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-nlb" })
}

resource "aws_vpc_security_group_ingress_rule" "devices" {
  for_each = {
    for pair in setproduct(keys(var.listeners), range(length(var.device_cidrs))) :
    "${pair[0]}-${pair[1]}" => { port = var.listeners[pair[0]].port, cidr = var.device_cidrs[pair[1]] }
  }

  security_group_id = aws_security_group.nlb.id
  description       = "devices, listener ${each.key}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
}

resource "aws_vpc_security_group_egress_rule" "to_nodes" {
  for_each = toset([for p in distinct(concat([for l in values(var.listeners) : l.target_port], [8404])) : tostring(p)])

  security_group_id            = aws_security_group.nlb.id
  description                  = "to the edge nodes, port ${each.value}"
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  referenced_security_group_id = var.node_security_group_id
}

# With client IP preservation the nodes see the devices' addresses; a rule that references the
# load balancer's security group admits them all the same.
resource "aws_vpc_security_group_ingress_rule" "nodes_from_nlb" {
  for_each = toset([for p in distinct(concat([for l in values(var.listeners) : l.target_port], [8404])) : tostring(p)])

  security_group_id            = var.node_security_group_id
  description                  = "from the device load balancer, port ${each.value}"
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  referenced_security_group_id = aws_security_group.nlb.id
}

resource "aws_lb" "this" {
  name                             = var.name
  load_balancer_type               = "network"
  internal                         = false
  subnets                          = var.public_subnet_ids
  security_groups                  = [aws_security_group.nlb.id]
  enable_cross_zone_load_balancing = true
  ip_address_type                  = "ipv4"

  tags = var.tags
}

resource "aws_lb_target_group" "edge" {
  for_each = toset([for l in values(var.listeners) : tostring(l.target_port)])

  name        = "${var.name}-${each.value}"
  vpc_id      = var.vpc_id
  target_type = "instance"
  protocol    = "TCP"
  port        = tonumber(each.value)

  preserve_client_ip     = true
  proxy_protocol_v2      = false
  deregistration_delay   = var.deregistration_delay_seconds
  connection_termination = true

  health_check {
    protocol            = "HTTP"
    port                = "8404"
    path                = "/healthz"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  target_health_state {
    enable_unhealthy_connection_termination = false
  }

  tags = var.tags
}

resource "aws_lb_listener" "devices" {
  for_each = var.listeners

  load_balancer_arn        = aws_lb.this.arn
  port                     = each.value.port
  protocol                 = "TCP"
  tcp_idle_timeout_seconds = var.tcp_idle_timeout_seconds

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.edge[tostring(each.value.target_port)].arn
  }

  tags = var.tags
}

# Every edge node joins every target group through its Auto Scaling group, so a node that EKS
# replaces joins by itself. Keys are static (node group x target port) although the names are
# only known after the node groups exist.
resource "aws_autoscaling_attachment" "edge" {
  for_each = {
    for pair in setproduct(keys(var.edge_autoscaling_group_names), keys(aws_lb_target_group.edge)) :
    "${pair[0]}-${pair[1]}" => { group = pair[0], port = pair[1] }
  }

  autoscaling_group_name = var.edge_autoscaling_group_names[each.value.group]
  lb_target_group_arn    = aws_lb_target_group.edge[each.value.port].arn
}

resource "aws_route53_record" "devices" {
  count = var.dns == null ? 0 : 1

  zone_id = var.dns.zone_id
  name    = var.dns.name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
