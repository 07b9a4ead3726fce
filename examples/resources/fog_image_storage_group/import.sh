# Import the link of image 12 to storage group 2 (<image id>:<storage group id>):
terraform import fog_image_storage_group.win11_site_b 12:2
