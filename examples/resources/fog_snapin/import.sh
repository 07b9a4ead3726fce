# Import the snapin with FOG id 3, or by name:
terraform import fog_snapin.seven_zip 3
terraform import fog_snapin.seven_zip 'name:7-Zip 23.01'
