data "fog_active_tasks" "all" {}

# Only the tasks of one host.
data "fog_active_tasks" "lab_07" {
  host_id = 7
}

output "imaging_now" {
  value = [
    for t in data.fog_active_tasks.all.tasks : "${t.type} ${t.host_name}: ${t.state} ${t.percent}%"
  ]
}
