# Import by FOG id:
terraform import fog_host.lab01 12

# Or by name (FOG compares host names without regard to letter case):
terraform import fog_host.lab01 'name:lab-01'
