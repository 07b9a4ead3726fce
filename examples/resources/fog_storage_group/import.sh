# Import the storage group with FOG id 2, or by name:
terraform import fog_storage_group.site_b 2
terraform import fog_storage_group.site_b name:site-b
