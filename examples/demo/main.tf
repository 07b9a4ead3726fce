# The configuration `make demo` applies against the FOG emulator: it creates
# an image, assigns it to a host, deploys it and waits for the (emulated)
# imaging run to complete, then reads the hosts and the active tasks.
#
# The provider reads FOG_SERVER_URL, FOG_API_TOKEN and FOG_USER_TOKEN from the
# environment (set by scripts/demo.sh).

terraform {
  required_providers {
    fog = {
      source = "fogproject/fog"
    }
  }
}

provider "fog" {}

data "fog_hosts" "demo" {
  name_regex = "^demo-"
}

resource "fog_image" "base" {
  name          = "demo-ubuntu-24.04"
  description   = "Ubuntu 24.04 lab image (R&D)"
  path          = "demo-ubuntu-2404"
  image_type_id = 1  # Single Disk - Resizable
  os_id         = 50 # Linux
}

resource "fog_host_image_assignment" "first" {
  host_id  = data.fog_hosts.demo.hosts[0].id
  image_id = fog_image.base.id
}

resource "fog_task" "deploy" {
  host_id             = fog_host_image_assignment.first.host_id
  image_id            = fog_host_image_assignment.first.image_id
  type                = "deploy"
  task_name           = "demo deploy"
  wait_for_completion = true

  timeouts {
    create = "5m"
  }
}

data "fog_active_tasks" "now" {
  depends_on = [fog_task.deploy]
}

output "image" {
  value = {
    id   = fog_image.base.id
    name = fog_image.base.name
  }
}

output "deployed_host" {
  value = data.fog_hosts.demo.hosts[0].name
}

output "deploy_task" {
  value = {
    id      = fog_task.deploy.id
    state   = fog_task.deploy.state
    percent = fog_task.deploy.percent
  }
}

output "hosts" {
  value = [for h in data.fog_hosts.demo.hosts : "${h.name} (${h.primary_mac})"]
}

output "active_tasks_after_deploy" {
  value = length(data.fog_active_tasks.now.tasks)
}
