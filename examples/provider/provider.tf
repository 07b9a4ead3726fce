terraform {
  required_providers {
    fog = {
      source = "fogproject/fog"
    }
  }
}

# The tokens are best kept out of the configuration: set FOG_API_TOKEN and
# FOG_USER_TOKEN in the environment (the values exactly as FOG's UI shows them).
provider "fog" {
  server_url = "https://fog.example.com"

  # Optional, shown with their defaults:
  # request_timeout         = "30s"
  # max_retries             = 3
  # max_concurrent_requests = 4

  # For a server with a certificate from a private CA:
  # ca_cert_pem = file("${path.module}/fog-ca.pem")
}
