# One task type by name (letter case, spaces and dashes are ignored).
data "fog_task_types" "deploy" {
  name = "Deploy"
}

# All of them, to pick by what FOG considers them.
data "fog_task_types" "all" {}

output "deploy_task_type_id" {
  value = data.fog_task_types.deploy.task_types[0].id
}

output "imaging_task_types" {
  value = [for t in data.fog_task_types.all.task_types : t.name if t.is_imaging]
}
