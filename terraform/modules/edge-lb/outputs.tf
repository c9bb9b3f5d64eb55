output "dns_name" {
  description = "The load balancer's DNS name: devices connect to it (or to the dns record) on the listeners' ports."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "The load balancer's hosted zone, for an alias record of your own."
  value       = aws_lb.this.zone_id
}

output "arn" {
  description = "The load balancer's ARN."
  value       = aws_lb.this.arn
}

output "device_host_name" {
  description = "The name devices dial: the Route 53 record when dns is set, else the load balancer's DNS name."
  value       = var.dns == null ? aws_lb.this.dns_name : var.dns.name
}

output "listener_ports" {
  description = "Per listener: the port devices connect to and the edge port behind it."
  value       = var.listeners
}

output "security_group_id" {
  description = "The load balancer's security group."
  value       = aws_security_group.nlb.id
}
