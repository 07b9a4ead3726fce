# Import the storage node with FOG id 2, or by name. The password is not
# imported (FOG's is never read): the next apply sends the configured one.
terraform import fog_storage_node.b1 2
terraform import fog_storage_node.b1 name:node-b1
