terraform {
  # 1.9 or newer: variable validations that refer to other variables. Below 2.0, whose
  # changes nobody here has read.
  required_version = "~> 1.9"

  required_providers {
    # 6.x: EKS access entries (authentication_mode API) and aws_eks_pod_identity_association
    # exist since 5.x; ~> 6.0 takes 6.x fixes but not 7.0's breaking changes.
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
