terraform {
  # 1.9 or newer: variable validations that refer to other variables. Below 2.0, whose
  # changes nobody here has read.
  required_version = "~> 1.9"

  required_providers {
    # 3.x: the provider's kubernetes settings are an attribute (kubernetes = { ... }), as the
    # example environment writes them; ~> 3.0 keeps out a 4.0 that may change them again.
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    # 2.38 or a later 2.x: kubernetes_storage_class_v1; a 3.0 would be read before taking it.
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
  }
}
