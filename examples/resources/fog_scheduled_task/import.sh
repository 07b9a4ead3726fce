# Import by FOG id (the run time comes back in UTC, the type as FOG names it):
terraform import fog_scheduled_task.reimage_pc17 7
