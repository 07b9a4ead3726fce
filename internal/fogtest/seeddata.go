// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

// Seed rows of a fresh FOG 1.5.9 database (schema 270), as the API shows them
// (recordings tasktype-list, taskstate-list, os-list, imagetype-list,
// imagepartitiontype-list, plugin-list). Values are the raw database text:
// quotes are unescaped here and escaped again on output.

type seedPlugin struct{ name, dir, description, icon string }

var seedTaskTypes = []map[string]string{
	{"id": "1", "name": "Deploy", "description": "Deploy action will send an image saved on the FOG server to the client computer with all included snapins.", "icon": "download", "kernel": "", "kernelArgs": "type=down", "type": "fog", "isAdvanced": "0", "access": "both", "initrd": ""},
	{"id": "2", "name": "Capture", "description": "Capture will pull an image from a client computer that will be saved on the server.", "icon": "upload", "kernel": "", "kernelArgs": "type=up", "type": "fog", "isAdvanced": "0", "access": "host", "initrd": ""},
	{"id": "3", "name": "Debug", "description": "Debug mode will load the boot image and load a prompt so you can run any commands you wish. When you are done, you must remember to remove the PXE file, by clicking on \"Active Tasks\" and clicking on the \"Kill Task\" button.", "icon": "bug", "kernel": "", "kernelArgs": "mode=onlydebug", "type": "fog", "isAdvanced": "1", "access": "host", "initrd": ""},
	{"id": "4", "name": "Memtest86+", "description": "Memtest86+ loads Memtest86+ on the client computer and will have it continue to run until stopped. When you are done, you must remember to remove the PXE file, by clicking on \"Active Tasks\" and clicking on the \"Kill Task\" button.", "icon": "plus-square-o", "kernel": "fog/memtest/memtest", "kernelArgs": "", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "5", "name": "Test Disk", "description": "Test Disk loads the testdisk utility that can be used to check a hard disk and recover lost partitions.", "icon": "hdd-o", "kernel": "", "kernelArgs": "mode=checkdisk", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "6", "name": "Disk Surface Test", "description": "Disk Surface Test checks the hard drive's surface sector by sector for any errors and reports back if errors are present.", "icon": "user-md", "kernel": "", "kernelArgs": "mode=badblocks", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "7", "name": "Recover", "description": "Recover loads the photorec utility that can be used to recover lost files from a hard disk. When recovering files, make sure you save them to your NFS volume (ie: /images).", "icon": "ambulance", "kernel": "", "kernelArgs": "mode=photorec", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "8", "name": "Multi-Cast", "description": "Deploy action will send an image saved on the FOG server to the client computer with all included snapins.", "icon": "share-alt", "kernel": "", "kernelArgs": "type=down mc=yes", "type": "fog", "isAdvanced": "0", "access": "group", "initrd": ""},
	{"id": "10", "name": "Hardware Inventory", "description": "The hardware inventory task will boot the client computer and pull basic hardware information from it and report it back to the FOG server.", "icon": "list-alt", "kernel": "", "kernelArgs": "mode=inventory deployed=1", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "11", "name": "Password Reset", "description": "Password reset will blank out a Windows user password that may have been lost or forgotten.", "icon": "key", "kernel": "", "kernelArgs": "mode=winpassreset", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "12", "name": "All Snapins", "description": "This option allows you to send all the snapins to host without imaging the computer. (Requires FOG Client to be installed on client)", "icon": "cubes", "kernel": "", "kernelArgs": "", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "13", "name": "Single Snapin", "description": "This option allows you to send a single snapin to a host. (Requires FOG Client to be installed on client)", "icon": "cube", "kernel": "", "kernelArgs": "", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "14", "name": "Wake-Up", "description": "Wake Up will attempt to send the Wake-On-LAN packet to the computer to turn the computer on. In switched environments, you typically need to configure your hardware to allow for this (iphelper).", "icon": "plug", "kernel": "", "kernelArgs": "", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "15", "name": "Deploy - Debug", "description": "Deploy - Debug mode allows FOG to setup the environment to allow you send a specific image to a computer, but instead of sending the image, FOG will leave you at a prompt right before sending. If you actually wish to send the image all you need to do is type \"fog\" and hit enter.", "icon": "arrow-circle-o-down", "kernel": "", "kernelArgs": "type=down mode=debug", "type": "fog", "isAdvanced": "1", "access": "host", "initrd": ""},
	{"id": "16", "name": "Capture - Debug", "description": "Capture - Debug mode allows FOG to setup the environment to allow you capture a specific image from a computer, but instead of capturing the image, FOG will leave you at a prompt right before restoring. If you actually wish to capture the image all you need to do is type \"fog\" and hit enter.", "icon": "arrow-circle-o-up", "kernel": "", "kernelArgs": "type=up mode=debug", "type": "fog", "isAdvanced": "1", "access": "host", "initrd": ""},
	{"id": "17", "name": "Deploy - No Snapins", "description": "Deploy without snapins allows FOG to image the workstation, but after the task is complete any snapins linked to the host or group will NOT be sent.", "icon": "chevron-circle-down", "kernel": "", "kernelArgs": "type=down", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "18", "name": "Fast Wipe", "description": "Fast wipe will boot the client computer and wipe the first few sectors of data on the hard disk. Data will not be overwritten but the boot up of the disk and partition layout will no longer exist.", "icon": "hourglass-o", "kernel": "", "kernelArgs": "mode=wipe wipemode=fast", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "19", "name": "Normal Wipe", "description": "Normal wipe will boot the client computer and perform a full disk wipe. This method writes ONE pass of random data to the hard disk.", "icon": "hourglass-2", "kernel": "", "kernelArgs": "mode=wipe wipemode=normal", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "20", "name": "Full Wipe", "description": "Full Wipe will boot the client computer and perform a full disk wipe. This method writes a few passes of random data to the hard disk.", "icon": "hourglass", "kernel": "", "kernelArgs": "mode=wipe wipemode=full", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "21", "name": "Virus Scan", "description": "Anti-Virus loads Clam AV on the client boot image, updates the scanner and then scans the Windows partition.", "icon": "exclamation-triangle", "kernel": "", "kernelArgs": "mode=clamav avmode=s", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
	{"id": "22", "name": "Virus Scan - Quarantine", "description": "Anti-Virus loads Clam AV on the client boot image, updates the scanner and then scans the Windows partition.", "icon": "flag-o", "kernel": "", "kernelArgs": "mode=clamav avmode=q", "type": "fog", "isAdvanced": "1", "access": "both", "initrd": ""},
}
var seedTaskStates = []map[string]string{
	{"id": "1", "name": "Queued", "description": "Task has been created and FOG is waiting for the Host to check-in.", "order": "1", "icon": "bookmark-o"},
	{"id": "2", "name": "Checked In", "description": "PC has checked in and is in queue for imaging", "order": "2", "icon": "pause"},
	{"id": "3", "name": "In-Progress", "description": "Host is currently Imaging.", "order": "3", "icon": "spinner fa-pulse fa-fw"},
	{"id": "4", "name": "Complete", "description": "Imaging has been completed.", "order": "4", "icon": "check-circle"},
	{"id": "5", "name": "Cancelled", "description": "Task was aborted by user", "order": "5", "icon": "ban"},
}
var seedOS = []map[string]string{
	{"id": "1", "name": "Windows 2000/XP", "description": ""},
	{"id": "2", "name": "Windows Vista", "description": ""},
	{"id": "3", "name": "Windows 98", "description": ""},
	{"id": "4", "name": "Windows Other", "description": ""},
	{"id": "5", "name": "Windows 7", "description": ""},
	{"id": "6", "name": "Windows 8", "description": ""},
	{"id": "7", "name": "Windows 8.1", "description": ""},
	{"id": "8", "name": "Apple Mac OS", "description": ""},
	{"id": "9", "name": "Windows 10", "description": ""},
	{"id": "50", "name": "Linux", "description": ""},
	{"id": "51", "name": "Chromium OS", "description": "Chromium OS"},
	{"id": "99", "name": "Other", "description": ""},
}
var seedPartitionTypes = []map[string]string{
	{"id": "1", "name": "Everything", "type": "all"},
	{"id": "2", "name": "Partition Table and MBR only", "type": "mbr"},
	{"id": "3", "name": "Partition 1 only", "type": "1"},
	{"id": "4", "name": "Partition 2 only", "type": "2"},
	{"id": "5", "name": "Partition 3 only", "type": "3"},
	{"id": "6", "name": "Partition 4 only", "type": "4"},
	{"id": "7", "name": "Partition 5 only", "type": "5"},
	{"id": "8", "name": "Partition 6 only", "type": "6"},
	{"id": "9", "name": "Partition 7 only", "type": "7"},
	{"id": "10", "name": "Partition 8 only", "type": "8"},
	{"id": "11", "name": "Partition 9 only", "type": "9"},
	{"id": "12", "name": "Partition 10 only", "type": "10"},
}
var seedImageTypes = []map[string]string{
	{"id": "1", "name": "Single Disk - Resizable", "type": "n"},
	{"id": "2", "name": "Multiple Partition Image - Single Disk (Not Resizable)", "type": "mps"},
	{"id": "3", "name": "Multiple Partition Image - All Disks  (Not Resizable)", "type": "mpa"},
	{"id": "4", "name": "Raw Image (Sector By Sector, DD, Slow)", "type": "dd"},
}
var seedPlugins = []seedPlugin{
	{name: "accesscontrol", dir: "accesscontrol", description: "The access control can restrict using different roles and rules. Version 1.5.5", icon: "<i class=\"fa fa-user-secret fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"accesscontrol\"></i>"},
	{name: "capone", dir: "capone", description: "Capone is a automation plugin for fog.", icon: "<i class=\"fa fa-barcode fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"capone\"></i>"},
	{name: "example", dir: "example", description: "Just an example plugin for those who want to create their own plugins.", icon: "<i class=\"fa fa-check-square-o fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"example\"></i>"},
	{name: "fileintegrity", dir: "fileintegrity", description: "Associates the files on nodes and stores their respective checksums, mod dates, and the location of the file on that particular node.", icon: "<i class=\"fa fa-list-ol fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"fileintegrity\"></i>"},
	{name: "hoststatus", dir: "hoststatus", description: "Host Status is a plugin that adds a new entry in the Host edit Page that detects the status on the fly, poweron or poweroff and the OS, of the client. <p>Possible status: Windows, Linux, FOS and Unknown. <p>Dependencies: port TCP 445 open in the client side. <p>Version 1.5.5.", icon: "<i class=\"fa fa-eye fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"hoststatus\"></i>"},
	{name: "LDAP", dir: "ldap", description: "LDAP plugin to use a LDAP validation with FOG. Ensure you have the php ldap module installed and loaded on your server. This can be done typically by using your distros package manager software. (e.g. apt-get install php5-ldap, yum install php-ldap). Version: 1.5.5_1", icon: "<i class=\"fa fa-key fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"LDAP\"></i>"},
	{name: "location", dir: "location", description: "Location is a plugin that allows your FOG Server to operate in an environment where there may be multiple places to get your image. This is especially useful if you have multiple sites with clients moving back and forth between different sites.", icon: "<i class=\"fa fa-globe fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"location\"></i>"},
	{name: "persistentgroups", dir: "persistentgroups", description: "Enable persistent groups.", icon: "<i class=\"fa fa-id-card fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"persistentgroups\"></i>"},
	{name: "pushbullet", dir: "pushbullet", description: "Adds pushbullet notifications.", icon: "<i class=\"fa fa-bell fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"pushbullet\"></i>"},
	{name: "site", dir: "site", description: "This plugin restricts the access to the item by site. Version 1.5.8", icon: "<i class=\"fa fa-building fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"site\"></i>"},
	{name: "slack", dir: "slack", description: "Adds slack-api integration.", icon: "<i class=\"fa fa-slack fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"slack\"></i>"},
	{name: "subnetgroup", dir: "subnetgroup", description: "Associates host groups with IP subnets in order to automatically assign hosts according to their IP address", icon: "<i class=\"fa fa-wifi fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"subnetgroup\"></i>"},
	{name: "taskstateedit", dir: "taskstateedit", description: "Allows editing/creating of Task States fog currently has.", icon: "<i class=\"fa fa-hourglass-start fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"taskstateedit\"></i>"},
	{name: "tasktypeedit", dir: "tasktypeedit", description: "Allows editing/creating of Task Types fog currently has.", icon: "<i class=\"fa fa-th-list fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"tasktypeedit\"></i>"},
	{name: "windowskey", dir: "windowskey", description: "Windows keys is a plugin that associates product keys for Microsoft Windows to images. Those images should be activated with the associated key. The key will be assigned to registered hosts when a deploy task occurs for it. NOTE: When the plugin is removed, the assigned key will remain with the host.", icon: "<i class=\"fa fa-windows fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"windowskey\"></i>"},
	{name: "wolbroadcast", dir: "wolbroadcast", description: "Allows you to create WOL across separate broadcast addresses. Should only be used if you cannot edit your network switches.", icon: "<i class=\"fa fa-plug fa-fw fa-2x\" width=\"66\" height=\"66\" alt=\"wolbroadcast\"></i>"},
}
