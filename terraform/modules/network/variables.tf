variable "name" {
  type        = string
  description = "Name prefix of every resource (Name tags), e.g. iot-prod."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 32 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster that uses this VPC: the subnets carry its kubernetes.io/cluster tag."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit (EKS's rule)."
  }
}

variable "cidr_block" {
  type        = string
  description = "The VPC's IPv4 range, /16 to /20. Each zone gets a private subnet of a quarter of it (pods take VPC addresses with the VPC CNI) and a public one of a sixteenth."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block must be an IPv4 CIDR from /16 to /20."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "Exactly three availability zones of the region; empty takes the region's first three."
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(distinct(var.availability_zones)) == 3
    error_message = "availability_zones must be empty or name three distinct zones: Kafka, ScyllaDB and EMQX keep one replica per zone."
  }
}

variable "nat_gateway_per_zone" {
  type        = bool
  description = "One NAT gateway per zone (true: a zone's outage does not cut the others' egress) or one shared (false: cheaper, for test environments)."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
