# Import the image assignment of the host with FOG id 7:
terraform import fog_host_image_assignment.lab_07 7
