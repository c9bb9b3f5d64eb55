variable "cluster_name" {
  type        = string
  description = "The EKS cluster's name."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit (EKS's rule)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the control plane and the nodes, e.g. 1.33 (strimzi/README.md asks for 1.30 or newer)."
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.(3[0-9]|[4-9][0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version 1.30 or newer, like 1.33."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "One private subnet per zone, three (the network module's private_subnet_ids): the control plane's interfaces and every node group."

  validation {
    condition     = length(var.private_subnet_ids) == 3 && alltrue([for s in var.private_subnet_ids : startswith(s, "subnet-")])
    error_message = "private_subnet_ids must be three subnet ids (subnet-...), one per zone."
  }
}

variable "endpoint_public_access_cidrs" {
  type        = list(string)
  description = "Who may reach the Kubernetes API from the internet; empty makes the endpoint private (reachable from the VPC only)."
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0))])
    error_message = "endpoint_public_access_cidrs must hold CIDR ranges."
  }
}

variable "node_groups" {
  type = map(object({
    instance_types = list(string)
    min_size       = number
    desired_size   = number
    max_size       = number
    disk_size_gib  = number
  }))
  description = "Nodes per tier (keys edge, kafka, scylla, apps), sizes per zone: each tier gets one managed node group in each of the three zones, so that a zone-bound volume (Kafka, ScyllaDB) always finds a node of its tier in its zone."

  validation {
    condition     = length(setsubtract(keys(var.node_groups), ["edge", "kafka", "scylla", "apps"])) == 0 && length(setsubtract(["edge", "kafka", "scylla", "apps"], keys(var.node_groups))) == 0
    error_message = "node_groups must have exactly the tiers edge, kafka, scylla and apps (the labels strimzi/components/node-tiers places pods with)."
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.min_size >= 0 && g.min_size <= g.desired_size && g.desired_size <= g.max_size && g.max_size >= 1])
    error_message = "Each node group needs 0 <= min_size <= desired_size <= max_size, and max_size >= 1."
  }

  validation {
    condition     = alltrue([for g in values(var.node_groups) : length(g.instance_types) > 0 && g.disk_size_gib >= 20])
    error_message = "Each node group needs at least one instance type and a root disk of 20 GiB or more."
  }
}

variable "cluster_log_types" {
  type        = list(string)
  description = "Control-plane logs sent to CloudWatch."
  default     = ["api", "audit", "authenticator"]

  validation {
    condition     = length(setsubtract(var.cluster_log_types, ["api", "audit", "authenticator", "controllerManager", "scheduler"])) == 0
    error_message = "cluster_log_types may hold only api, audit, authenticator, controllerManager and scheduler."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
