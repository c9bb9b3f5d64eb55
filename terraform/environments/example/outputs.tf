output "cluster_name" {
  description = "The EKS cluster: aws eks update-kubeconfig --name <this> --region <region>."
  value       = module.cluster.cluster_name
}

output "device_host_name" {
  description = "What devices dial on 8883 (MQTT over TLS) and 443 or 8084 (wss://.../mqtt). The brokers' certificate (Secret emqx-server-tls) must name it."
  value       = module.edge_lb.device_host_name
}

output "nat_public_ips" {
  description = "The cluster's outbound addresses, for allow-lists elsewhere (e.g. the REST API's identity provider)."
  value       = module.network.nat_public_ips
}

output "operator_charts" {
  description = "The operators installed, their chart versions and namespaces."
  value       = module.operators.charts
}
