output "vpc_id" {
  description = "The VPC's id."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's IPv4 range."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "The three zones, in the order of the subnet lists."
  value       = local.zones
}

output "private_subnet_ids" {
  description = "The private subnets (nodes), one per zone, in the order of availability_zones."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "The public subnets (device load balancer, NAT), one per zone, in the order of availability_zones."
  value       = aws_subnet.public[*].id
}

output "nat_public_ips" {
  description = "The NAT gateways' public addresses: what the cluster's outbound traffic comes from."
  value       = aws_eip.nat[*].public_ip
}
