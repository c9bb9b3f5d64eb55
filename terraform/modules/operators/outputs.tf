output "charts" {
  description = "Per operator: the chart, its version and the namespace it is installed in."
  value = {
    for key, chart in local.charts : key => {
      chart     = chart.chart
      version   = chart.version
      namespace = chart.namespace
    }
  }
}

output "default_storage_class" {
  description = "The cluster's default StorageClass."
  value       = kubernetes_storage_class_v1.default.metadata[0].name
}

output "prometheus_namespace" {
  description = "Where Prometheus (and Grafana) run."
  value       = helm_release.kube_prometheus_stack.namespace
}
