variable "platform_namespace" {
  type        = string
  description = "The platform's namespace (strimzi/ uses iot): Strimzi is installed there and watches it."
  default     = "iot"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.platform_namespace))
    error_message = "platform_namespace must be a Kubernetes namespace name (RFC 1123 label)."
  }
}

variable "default_storage_class" {
  type        = string
  description = "Name of the gp3 StorageClass made the cluster's default: Kafka's, ScyllaDB's, EMQX's and the streams app's volumes use the default (strimzi/README.md)."
  default     = "gp3"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.default_storage_class))
    error_message = "default_storage_class must be a Kubernetes object name."
  }
}

variable "prometheus_retention" {
  type        = string
  description = "How long Prometheus keeps samples, in Prometheus's duration form (15d, 72h)."
  default     = "15d"

  validation {
    condition     = can(regex("^[0-9]+(h|d|w|y)$", var.prometheus_retention))
    error_message = "prometheus_retention must be a number followed by h, d, w or y, like 15d."
  }
}

variable "prometheus_storage_gib" {
  type        = number
  description = "Size of Prometheus's volume, GiB."
  default     = 100

  validation {
    condition     = var.prometheus_storage_gib >= 10
    error_message = "prometheus_storage_gib must be 10 or more."
  }
}

variable "grafana_enabled" {
  type        = bool
  description = "Install Grafana with kube-prometheus-stack (the platform's dashboard is provisioned from a ConfigMap in strimzi/)."
  default     = true
}
