# Import snapin 3 on the host with FOG id 7 (<host id>:<snapin id>):
terraform import 'fog_host_snapin.lab["lab-07"]' 7:3
