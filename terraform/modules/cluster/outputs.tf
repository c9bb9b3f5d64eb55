output "cluster_name" {
  description = "The EKS cluster's name (aws eks update-kubeconfig --name ...)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "The Kubernetes API's URL."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "The Kubernetes API's CA certificate, base64-encoded PEM."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "node_security_group_id" {
  description = "The cluster security group, which EKS puts on every managed node: the edge load balancer opens the device ports in it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_tier_label" {
  description = "The node label (and taint key) that names a node's tier."
  value       = local.tier_label
}

output "node_tiers" {
  description = "Per tier: the label value and whether its nodes are tainted NoSchedule (pods need a toleration)."
  value = {
    for tier in keys(var.node_groups) : tier => {
      label   = { (local.tier_label) = tier }
      tainted = contains(local.tainted_tiers, tier)
    }
  }
}

output "edge_autoscaling_group_names" {
  description = "The edge tier's Auto Scaling groups, one per zone, keyed by node group (static keys, so the edge-lb module can for_each over them before they exist)."
  value = {
    for key, group in aws_eks_node_group.this : key => group.resources[0].autoscaling_groups[0].name
    if local.node_groups[key].tier == "edge"
  }
}
