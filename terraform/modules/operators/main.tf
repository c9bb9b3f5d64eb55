# The operators the Kubernetes files in strimzi/ need, as Helm releases, at the versions whose
# CRDs those files are validated against (strimzi/README.md; the CRDs in shared/crds/). The
# terraform module's tests check local.charts against that folder.
#
# Every release runs on the apps tier: it is the only untainted tier, so pods without a
# toleration land there (modules/cluster).

locals {
  charts = {
    cert_manager = {
      # Needed by the EMQX and Scylla operators' webhooks. Its CRDs are not validated here.
      repository = "https://charts.jetstack.io"
      chart      = "cert-manager"
      version    = "v1.19.1"
      namespace  = "cert-manager"
      crd_set    = null
    }
    strimzi = {
      repository = "oci://quay.io/strimzi-helm"
      chart      = "strimzi-kafka-operator"
      version    = "1.2.0"
      namespace  = var.platform_namespace
      crd_set    = "strimzi-1.2.0"
    }
    emqx_operator = {
      repository = "https://repos.emqx.io/charts"
      chart      = "emqx-operator"
      version    = "2.2.29"
      namespace  = "emqx-operator-system"
      crd_set    = "emqx-operator-2.2.29"
    }
    scylla_operator = {
      # The operator must run in namespace scylla-operator (its documentation).
      repository = "https://scylla-operator-charts.storage.googleapis.com/stable"
      chart      = "scylla-operator"
      version    = "v1.21.1"
      namespace  = "scylla-operator"
      crd_set    = "scylla-operator-1.21.1"
    }
    kube_prometheus_stack = {
      # 88.0.0 is the chart that ships Prometheus Operator 0.93.0 (its PodMonitor and
      # PrometheusRule CRDs are the ones strimzi/base/monitoring is validated against).
      repository = "https://prometheus-community.github.io/helm-charts"
      chart      = "kube-prometheus-stack"
      version    = "88.0.0"
      namespace  = "monitoring"
      crd_set    = "prometheus-operator-0.93.0"
    }
  }
}

# EKS makes no StorageClass the default; the platform's volumes ask for the default.
# WaitForFirstConsumer: a volume is made in the zone its pod was scheduled to, so a Kafka
# broker or ScyllaDB rack pinned to a zone gets its volume there.
resource "kubernetes_storage_class_v1" "default" {
  metadata {
    name = var.default_storage_class
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }

  storage_provisioner    = "ebs.csi.aws.com"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true
  reclaim_policy         = "Retain"

  parameters = {
    type      = "gp3"
    encrypted = "true"
  }
}

resource "helm_release" "cert_manager" {
  name             = "cert-manager"
  repository       = local.charts.cert_manager.repository
  chart            = local.charts.cert_manager.chart
  version          = local.charts.cert_manager.version
  namespace        = local.charts.cert_manager.namespace
  create_namespace = true

  values = [yamlencode({
    crds = { enabled = true }
  })]
}

resource "helm_release" "strimzi" {
  name             = "strimzi"
  repository       = local.charts.strimzi.repository
  chart            = local.charts.strimzi.chart
  version          = local.charts.strimzi.version
  namespace        = local.charts.strimzi.namespace
  create_namespace = true

  # Installed in the platform's namespace, the operator watches it (strimzi/README.md: "watching
  # namespace iot").
  values = [yamlencode({
    watchAnyNamespace = false
  })]
}

resource "helm_release" "emqx_operator" {
  name             = "emqx-operator"
  repository       = local.charts.emqx_operator.repository
  chart            = local.charts.emqx_operator.chart
  version          = local.charts.emqx_operator.version
  namespace        = local.charts.emqx_operator.namespace
  create_namespace = true

  depends_on = [helm_release.cert_manager]
}

resource "helm_release" "scylla_operator" {
  name             = "scylla-operator"
  repository       = local.charts.scylla_operator.repository
  chart            = local.charts.scylla_operator.chart
  version          = local.charts.scylla_operator.version
  namespace        = local.charts.scylla_operator.namespace
  create_namespace = true

  depends_on = [helm_release.cert_manager]
}

resource "helm_release" "kube_prometheus_stack" {
  name             = "kube-prometheus-stack"
  repository       = local.charts.kube_prometheus_stack.repository
  chart            = local.charts.kube_prometheus_stack.chart
  version          = local.charts.kube_prometheus_stack.version
  namespace        = local.charts.kube_prometheus_stack.namespace
  create_namespace = true

  # Prometheus selects the platform's PodMonitors and PrometheusRules by the label every
  # overlay puts on them (app.kubernetes.io/part-of: iot-backbone), in any namespace, and
  # not only the chart's own (the *NilUsesHelmValues switches).
  values = [yamlencode({
    grafana = { enabled = var.grafana_enabled }
    prometheus = {
      prometheusSpec = {
        retention                               = var.prometheus_retention
        podMonitorSelectorNilUsesHelmValues     = false
        serviceMonitorSelectorNilUsesHelmValues = false
        ruleSelectorNilUsesHelmValues           = false
        podMonitorSelector                      = { matchLabels = { "app.kubernetes.io/part-of" = "iot-backbone" } }
        ruleSelector                            = { matchLabels = { "app.kubernetes.io/part-of" = "iot-backbone" } }
        podMonitorNamespaceSelector             = {}
        ruleNamespaceSelector                   = {}
        storageSpec = {
          volumeClaimTemplate = {
            spec = {
              storageClassName = kubernetes_storage_class_v1.default.metadata[0].name
              accessModes      = ["ReadWriteOnce"]
              resources        = { requests = { storage = "${var.prometheus_storage_gib}Gi" } }
            }
          }
        }
      }
    }
  })]
}
