# The whole cloud underneath the platform in one region: network, EKS with its four node
# tiers, the operators strimzi/ needs, and the devices' load balancer. After `terraform
# apply`: aws eks update-kubeconfig --name <cluster_name>, then strimzi/README.md from step 2
# (the operators are installed here) with `kubectl apply -k strimzi/overlays/production`.

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, { "iotbackbone.org/environment" = var.name })
  }
}

# The Kubernetes and Helm providers talk to the cluster this configuration makes, with a token
# from the AWS CLI (so it must be on the PATH of whoever applies).
provider "kubernetes" {
  host                   = module.cluster.cluster_endpoint
  cluster_ca_certificate = base64decode(module.cluster.cluster_certificate_authority_data)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.cluster.cluster_name, "--region", var.region]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.cluster.cluster_endpoint
    cluster_ca_certificate = base64decode(module.cluster.cluster_certificate_authority_data)

    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.cluster.cluster_name, "--region", var.region]
    }
  }
}

locals {
  cluster_name = var.name
}

module "network" {
  source = "../../modules/network"

  name         = var.name
  cluster_name = local.cluster_name
  tags         = var.tags
}

module "cluster" {
  source = "../../modules/cluster"

  cluster_name                 = local.cluster_name
  private_subnet_ids           = module.network.private_subnet_ids
  endpoint_public_access_cidrs = var.api_access_cidrs
  node_groups                  = var.node_groups
  tags                         = var.tags
}

module "operators" {
  source = "../../modules/operators"

  # The releases need the nodes (and the EBS driver) to be there.
  depends_on = [module.cluster]
}

module "edge_lb" {
  source = "../../modules/edge-lb"

  name                         = "${var.name}-mqtt"
  vpc_id                       = module.network.vpc_id
  public_subnet_ids            = module.network.public_subnet_ids
  edge_autoscaling_group_names = module.cluster.edge_autoscaling_group_names
  node_security_group_id       = module.cluster.node_security_group_id
  device_cidrs                 = var.device_cidrs
  dns                          = var.device_dns
  tags                         = var.tags
}
