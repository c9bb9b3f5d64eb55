terraform {
  # 1.9 or newer: the modules' variable validations refer to other variables.
  required_version = "~> 1.9"

  required_providers {
    # The modules' ranges, narrowed to nothing: the environment takes what they allow.
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
  }

  # State: local by default. A shared environment keeps it in S3 with locking, e.g.
  # backend "s3" { bucket = "...", key = "iot/example.tfstate", region = "...", use_lockfile = true }
}
