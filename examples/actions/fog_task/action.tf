# Deploy the lab host each time its image assignment is created or changed,
# and follow the deploy to the end. The action keeps nothing in the state.
# Terraform 1.14 or later.
#
# Run it by hand at any time, without changing anything else:
#
#   terraform apply -invoke=action.fog_task.deploy_lab01

variable "lab01_host_id" {
  description = "FOG id of the lab host."
  type        = number
  default     = 12
}

resource "fog_image" "win10" {
  name          = "Win10-Base"
  path          = "win10-base"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host_image_assignment" "lab01" {
  host_id  = var.lab01_host_id
  image_id = tonumber(fog_image.win10.id)

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.fog_task.deploy_lab01]
    }
  }
}

action "fog_task" "deploy_lab01" {
  config {
    host_id = var.lab01_host_id
    type    = "Deploy"
    # Refused unless the host has this image when the action runs.
    image_id = tonumber(fog_image.win10.id)
    wol      = true # wake the host so that it boots from the network

    wait_for_completion = true
    timeouts {
      invoke = "90m"
    }
  }
}
