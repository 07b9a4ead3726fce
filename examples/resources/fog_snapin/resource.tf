# The installer itself is uploaded through FOG's UI (Snapin Management) or
# copied into the master node's snapin directory, usually /opt/fog/snapins.
resource "fog_snapin" "seven_zip" {
  name          = "7-Zip 23.01"
  file          = "7z2301-x64.msi"
  run_with      = "msiexec.exe"
  run_with_args = "/i"
  args          = "/quiet /norestart"
  timeout       = 600
}

# A PowerShell script that reboots the host when it is done.
resource "fog_snapin" "baseline" {
  name          = "Baseline settings"
  file          = "baseline.ps1"
  run_with      = "powershell.exe"
  run_with_args = "-ExecutionPolicy Bypass -NoProfile -File"
  reboot        = true
}
