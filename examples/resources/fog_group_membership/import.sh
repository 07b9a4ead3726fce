# Import by <group_id>:<host_id>:
terraform import fog_group_membership.pc 3:17
