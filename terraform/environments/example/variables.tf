variable "region" {
  type        = string
  description = "AWS region, e.g. eu-west-1."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name like eu-west-1."
  }
}

variable "name" {
  type        = string
  description = "Name of the environment: the VPC, the cluster and the load balancer are named after it."
  default     = "iot-example"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 20 lower-case letters, digits and hyphens, starting with a letter (the load balancer's name is made from it)."
  }
}

variable "api_access_cidrs" {
  type        = list(string)
  description = "Who may reach the Kubernetes API from the internet (your office, your CI); empty for a private endpoint."
  default     = []
}

variable "device_cidrs" {
  type        = list(string)
  description = "Where devices connect from."
  default     = ["0.0.0.0/0"]
}

variable "device_dns" {
  type = object({
    zone_id = string
    name    = string
  })
  description = "Optional Route 53 zone and name for the devices' host name; null for none."
  default     = null
}

variable "node_groups" {
  type = map(object({
    instance_types = list(string)
    min_size       = number
    desired_size   = number
    max_size       = number
    disk_size_gib  = number
  }))
  description = "Nodes per tier and zone (see modules/cluster). The defaults fit strimzi/overlays/production: three EMQX nodes of 2 CPUs with HAProxy, three Kafka brokers of 4 CPUs and 16 GiB plus the controllers, three ScyllaDB members of 4 CPUs and 16 GiB, the apps."
  default = {
    edge   = { instance_types = ["c6i.2xlarge"], min_size = 1, desired_size = 1, max_size = 3, disk_size_gib = 50 }
    kafka  = { instance_types = ["m6i.2xlarge"], min_size = 1, desired_size = 1, max_size = 2, disk_size_gib = 50 }
    scylla = { instance_types = ["r6i.2xlarge"], min_size = 1, desired_size = 1, max_size = 2, disk_size_gib = 50 }
    apps   = { instance_types = ["m6i.xlarge"], min_size = 2, desired_size = 2, max_size = 6, disk_size_gib = 50 }
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
