variable "name" {
  type        = string
  description = "Name of the load balancer and its target groups (at most 26 characters: target group names add a suffix within AWS's 32)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 26 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  type        = string
  description = "The VPC of the cluster (the network module's vpc_id)."

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "One public subnet per zone, three (the network module's public_subnet_ids): the load balancer has an address in each."

  validation {
    condition     = length(var.public_subnet_ids) == 3 && alltrue([for s in var.public_subnet_ids : startswith(s, "subnet-")])
    error_message = "public_subnet_ids must be three subnet ids (subnet-...), one per zone."
  }
}

variable "edge_autoscaling_group_names" {
  type        = map(string)
  description = "The edge node groups' Auto Scaling groups (the cluster module's edge_autoscaling_group_names): their nodes run the HAProxy DaemonSet on the host network and are the targets."

  validation {
    condition     = length(var.edge_autoscaling_group_names) >= 1
    error_message = "edge_autoscaling_group_names must name at least one Auto Scaling group."
  }
}

variable "node_security_group_id" {
  type        = string
  description = "The security group of the edge nodes (the cluster module's node_security_group_id): the device ports and HAProxy's health port are opened in it to the load balancer."

  validation {
    condition     = startswith(var.node_security_group_id, "sg-")
    error_message = "node_security_group_id must be a security group id (sg-...)."
  }
}

variable "listeners" {
  type = map(object({
    port        = number
    target_port = number
  }))
  description = "Device listeners: the load balancer's port and the edge node port it forwards to. The edge (strimzi/base/edge/emqx/haproxy.yaml) listens on 8883 (MQTT over TLS) and 8084 (MQTT over secure WebSockets, path /mqtt); 443 also reaches 8084 for devices behind firewalls that allow only HTTPS."
  default = {
    mqtts   = { port = 8883, target_port = 8883 }
    wss     = { port = 443, target_port = 8084 }
    wss8084 = { port = 8084, target_port = 8084 }
  }

  validation {
    condition     = alltrue([for l in values(var.listeners) : l.port >= 1 && l.port <= 65535 && contains([8883, 8084], l.target_port)])
    error_message = "Each listener needs a port from 1 to 65535 and a target_port the edge listens on: 8883 or 8084."
  }
}

variable "device_cidrs" {
  type        = list(string)
  description = "Where devices connect from. The targets see the devices' own addresses (client IP preservation), so these ranges are what the node security group lets in."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.device_cidrs) > 0 && alltrue([for c in var.device_cidrs : can(cidrhost(c, 0))])
    error_message = "device_cidrs must hold at least one CIDR range."
  }
}

variable "tcp_idle_timeout_seconds" {
  type        = number
  description = "How long the load balancer keeps a connection without a packet before it forgets it (AWS: 60 to 6000 s, default 350). A device whose MQTT keep-alive is longer loses its connection silently: its next packet meets a reset."
  default     = 350

  validation {
    condition     = var.tcp_idle_timeout_seconds >= 60 && var.tcp_idle_timeout_seconds <= 6000
    error_message = "tcp_idle_timeout_seconds must be from 60 to 6000 (AWS's range for TCP listeners)."
  }
}

variable "max_device_keepalive_seconds" {
  type        = number
  description = "The longest MQTT keep-alive a device of the fleet uses. Must be below tcp_idle_timeout_seconds with a margin for the PINGREQ's delay, or idle devices are cut."
  default     = 300

  validation {
    condition     = var.max_device_keepalive_seconds >= 1 && var.max_device_keepalive_seconds + 30 <= var.tcp_idle_timeout_seconds
    error_message = "max_device_keepalive_seconds must be at least 1 and 30 s or more below tcp_idle_timeout_seconds: a keep-alive at or over the load balancer's idle timeout loses idle devices' connections."
  }
}

variable "deregistration_delay_seconds" {
  type        = number
  description = "How long a node leaving the target group (a node group update, a scale-in) keeps its devices before the load balancer closes their connections, so they reconnect through another node."
  default     = 120

  validation {
    condition     = var.deregistration_delay_seconds >= 0 && var.deregistration_delay_seconds <= 3600
    error_message = "deregistration_delay_seconds must be from 0 to 3600."
  }
}

variable "dns" {
  type = object({
    zone_id = string
    name    = string
  })
  description = "Optional Route 53 record for the devices' host name (an alias of the load balancer); null for none. The brokers' server certificate (emqx-server-tls) must cover the name."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
