# Import by FOG id:
terraform import fog_image.win10 12

# Or by name (FOG compares names without regard to letter case):
terraform import fog_image.win10 'name:Win10-Base'
