variable "image_version" {
  description = "Bump to redeploy the lab host."
  type        = string
  default     = "2024-06"
}

resource "fog_image" "win10" {
  name          = "Win10-Base"
  path          = "win10-base"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host_image_assignment" "lab01" {
  host_id  = 12
  image_id = tonumber(fog_image.win10.id)
}

# Deploy the assigned image to the host once. image_id makes the task wait
# for the assignment and refuses it if the host has any other image.
# The task is not run again on later applies: change image_version (a
# trigger) or run `terraform apply -replace=fog_task.deploy_lab01`.
resource "fog_task" "deploy_lab01" {
  host_id  = fog_host_image_assignment.lab01.host_id
  type     = "Deploy"
  image_id = fog_host_image_assignment.lab01.image_id
  wol      = true # wake the host so that it boots from the network

  triggers = {
    image_version = var.image_version
  }

  wait_for_completion = true
  timeouts {
    create = "90m"
  }
}

# A Wake-Up has no task to follow: FOG sends the packet and deletes the
# task at once, so the resource records state = "sent".
resource "fog_task" "wake_lab02" {
  host_id = 13
  type    = "wake-up"
  wol     = true
}
