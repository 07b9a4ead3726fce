# Import by FOG id:
terraform import fog_group.lab_a 12

# Or by name (FOG compares group names without regard to letter case):
terraform import fog_group.lab_a 'name:Lab-A'
