# EKS with one managed node group per tier and zone. The tiers' label and taints are the ones
# strimzi/components/node-tiers places the platform's pods with (strimzi/README.md, "Node
# tiers"): key iotbackbone.org/node-tier; edge, kafka and scylla are tainted NoSchedule so that
# only their own pods land there; apps is untainted and takes everything else (the operators,
# the registry, the bridge, the streams app, Connect, monitoring, CoreDNS).

data "aws_partition" "current" {}

locals {
  tier_label = "iotbackbone.org/node-tier"

  tainted_tiers = ["edge", "kafka", "scylla"]

  # "edge-0" => { tier = "edge", subnet = the first zone's subnet, group = the tier's sizes }
  node_groups = merge([
    for tier, group in var.node_groups : {
      for index, subnet in var.private_subnet_ids : "${tier}-${index}" => {
        tier   = tier
        subnet = subnet
        group  = group
      }
    }
  ]...)

  # Kernel settings of the edge nodes, which HAProxy's host-network pods cannot set themselves
  # (strimzi/base/edge/emqx/haproxy.yaml): reconnect storms need long accept queues, 400,000
  # devices per node need two descriptors and two conntrack entries each.
  edge_sysctls = <<-EOT
    net.core.somaxconn = 65535
    net.ipv4.tcp_max_syn_backlog = 65535
    fs.nr_open = 2097152
    fs.file-max = 4194304
    net.netfilter.nf_conntrack_max = 2097152
    net.ipv4.tcp_tw_reuse = 1
    net.ipv4.ip_local_port_range = 1024 65535
  EOT

  # AL2023 nodes take a MIME multi-part user data; EKS adds its own NodeConfig part to it.
  edge_user_data = <<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="//"

    --//
    Content-Type: text/x-shellscript; charset="us-ascii"

    #!/bin/bash
    set -euo pipefail
    modprobe nf_conntrack
    cat > /etc/sysctl.d/90-iot-edge.conf <<'SYSCTL'
    ${local.edge_sysctls}
    SYSCTL
    sysctl --system
    --//--
  EOT
}

# --- IAM -------------------------------------------------------------------------------------

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.cluster_name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${var.cluster_name}-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

# The EBS CSI driver (Kafka's, ScyllaDB's, EMQX's and the streams app's volumes) gets its AWS
# rights through EKS Pod Identity, not through the nodes' role.
data "aws_iam_policy_document" "pod_identity_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ebs_csi" {
  name               = "${var.cluster_name}-ebs-csi"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# --- Control plane ---------------------------------------------------------------------------

resource "aws_kms_key" "secrets" {
  description         = "${var.cluster_name}: envelope encryption of Kubernetes Secrets (device CA, Kafka users)"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  enabled_cluster_log_types = var.cluster_log_types

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = length(var.endpoint_public_access_cidrs) > 0
    public_access_cidrs     = length(var.endpoint_public_access_cidrs) > 0 ? var.endpoint_public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.secrets.arn
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.cluster]
}

# --- Nodes -----------------------------------------------------------------------------------

resource "aws_launch_template" "node" {
  for_each = var.node_groups

  name_prefix = "${var.cluster_name}-${each.key}-"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = each.value.disk_size_gib
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  # IMDSv2 only, one hop: pods cannot borrow the node's role through the metadata service.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  user_data = each.key == "edge" ? base64encode(local.edge_user_data) : null

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-${each.key}", (local.tier_label) = each.key })
  }

  tags = var.tags
}

resource "aws_eks_node_group" "this" {
  for_each = local.node_groups

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.cluster_name}-${each.key}"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = [each.value.subnet]
  instance_types  = each.value.group.instance_types
  ami_type        = "AL2023_x86_64_STANDARD"
  capacity_type   = "ON_DEMAND"

  scaling_config {
    min_size     = each.value.group.min_size
    desired_size = each.value.group.desired_size
    max_size     = each.value.group.max_size
  }

  # One node at a time: the edge's devices reconnect through the other nodes, Kafka and
  # ScyllaDB keep their quorum.
  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.node[each.value.tier].id
    version = aws_launch_template.node[each.value.tier].latest_version
  }

  labels = {
    (local.tier_label) = each.value.tier
  }

  dynamic "taint" {
    for_each = contains(local.tainted_tiers, each.value.tier) ? [each.value.tier] : []
    content {
      key    = local.tier_label
      value  = taint.value
      effect = "NO_SCHEDULE"
    }
  }

  tags = merge(var.tags, { (local.tier_label) = each.value.tier })

  # A cluster autoscaler changes desired_size; a later apply must not undo it.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

# --- Add-ons ---------------------------------------------------------------------------------

resource "aws_eks_addon" "this" {
  for_each = toset(["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"])

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  resolve_conflicts_on_update = "OVERWRITE"

  # CoreDNS needs nodes to run on.
  depends_on = [aws_eks_node_group.this]
}

resource "aws_eks_pod_identity_association" "ebs_csi" {
  cluster_name    = aws_eks_cluster.this.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi.arn
}

resource "aws_eks_addon" "ebs_csi" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "aws-ebs-csi-driver"
  resolve_conflicts_on_update = "OVERWRITE"

  # The driver's node part runs on every node, tainted tiers included.
  configuration_values = jsonencode({
    node = {
      tolerateAllTaints = true
    }
  })

  depends_on = [aws_eks_pod_identity_association.ebs_csi, aws_eks_addon.this]
}
