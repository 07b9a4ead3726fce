// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The PXE client pages under /fog/service (no API auth), as recorded in
// testdata/lifecycle: jobs.php (FOG client poll), ipxe/boot.php (iPXE),
// Pre_Stage1.php (FOS check-in), progress.php, Post_Stage2.php (capture
// done) and Post_Stage3.php (deploy done).

func serviceText(body string) *response {
	return &response{status: http.StatusOK, ctype: ctHTML, body: []byte(body)}
}

// formValues merges the query string and a urlencoded body (PHP $_REQUEST).
func formValues(rawURI string, body []byte) url.Values {
	v := url.Values{}
	if i := strings.IndexByte(rawURI, '?'); i >= 0 {
		if q, err := url.ParseQuery(rawURI[i+1:]); err == nil {
			for k, vs := range q {
				v[k] = vs
			}
		}
	}
	if q, err := url.ParseQuery(string(body)); err == nil {
		for k, vs := range q {
			v[k] = vs
		}
	}
	return v
}

// hostByMAC finds the host owning a MAC (any of its MACs).
func (s *Server) hostByMAC(mac string) row {
	m, ok := parseMAC(mac)
	if !ok {
		return nil
	}
	if hid := s.macOwner(m); hid != 0 {
		return s.tbl("host").get(hid)
	}
	return nil
}

// hostTask returns the host's active task (states 1-3), or nil.
func (s *Server) hostTask(hostID int64) row {
	for _, id := range s.hostActiveTasks(hostID) {
		if r := s.tbl("task").get(id); r.int("stateID") >= 1 {
			return r
		}
	}
	return nil
}

func (s *Server) handleService(rawURI, path string, body []byte) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := formValues(rawURI, body)
	page := strings.TrimPrefix(path, "/fog/service/")
	switch page {
	case "jobs.php":
		return s.serviceJobs(v)
	case "ipxe/boot.php":
		return s.serviceBoot(v)
	case "Pre_Stage1.php":
		return s.serviceStage(v, "checkin")
	case "progress.php":
		return s.serviceStage(v, "progress")
	case "Post_Stage2.php":
		return s.serviceStage(v, "capture-done")
	case "Post_Stage3.php":
		return s.serviceStage(v, "deploy-done")
	}
	return apacheNotFound()
}

func (s *Server) serviceJobs(v url.Values) *response {
	newService := v.Get("newService") != ""
	h := s.hostByMAC(v.Get("mac"))
	reply := func(code string) *response {
		if newService {
			if code == "ok" {
				return serviceText(`{"job":"ok"}`)
			}
			return serviceText(`{"error":"` + code + `"}`)
		}
		return serviceText("#!" + code)
	}
	if h == nil {
		return reply("ih")
	}
	if t := s.hostTask(h.int("id")); t != nil && !isSnapinType(t.int("typeID")) {
		return reply("ok")
	}
	return reply("nj")
}

func (s *Server) noActiveTask(h row, mac string) *response {
	return serviceText("No Active Task found for Host: " + loadedValue(hostSchema, h, "name") + " (" + mac + ")")
}

func (s *Server) serviceStage(v url.Values, stage string) *response {
	mac := v.Get("mac")
	h := s.hostByMAC(mac)
	if h == nil {
		return serviceText("Invalid host")
	}
	task := s.hostTask(h.int("id"))
	if task == nil {
		return s.noActiveTask(h, mac)
	}
	id := task.int("id")
	typeID := task.int("typeID")
	switch stage {
	case "checkin":
		// Host::loadTask matches deploy types for type=down, capture for up.
		switch v.Get("type") {
		case "down":
			if !isDeployType(typeID) {
				return s.noActiveTask(h, mac)
			}
		case "up":
			if !isCaptureType(typeID) {
				return s.noActiveTask(h, mac)
			}
		}
		msg := s.checkInLocked(id, true)
		return serviceText(msg)
	case "progress":
		status := phpBase64Decode(v.Get("status"))
		status = strings.TrimRight(status, "\n")
		s.progressLocked(id, strings.Split(status, "@"))
		return serviceText("")
	case "capture-done":
		if s.ftpDown {
			node := s.tbl("storagenode").get(task.int("storagenodeID"))
			ip, user := "", ""
			if node != nil {
				ip, user = node["ip"], node["user"]
			}
			return serviceText("Type: 1024, File: /var/www/fog/lib/fog/fogftp.class.php, Line: 219, Message: FTP connection failed, Host: " + ip + ", Username: " + user)
		}
		s.completeLocked(id)
		return serviceText("##")
	case "deploy-done":
		s.completeLocked(id)
		return serviceText("##")
	}
	return serviceText("")
}

const ipxeHeader = "#!ipxe\nset fog-ip {web}\nset fog-webroot fog\nset boot-url http://${fog-ip}/${fog-webroot}\nset storage-ip {node}\nset keymap us\n"

func (s *Server) serviceBoot(v url.Values) *response {
	web := s.settingLocked("FOG_WEB_HOST")
	node := s.tbl("storagenode").get(1)
	nodeIP := web
	if node != nil {
		nodeIP = node["ip"]
	}
	head := strings.NewReplacer("{web}", web, "{node}", nodeIP).Replace(ipxeHeader)
	text := func(b string) *response {
		return &response{status: http.StatusOK, ctype: ctPlainIPXE, body: []byte(head + b)}
	}
	mac := v.Get("mac0")
	h := s.hostByMAC(mac)
	if h == nil {
		return text(s.ipxeMenu(web, nodeIP, ""))
	}
	hid := h.int("id")
	if s.hostInventory(hid) == nil {
		it := s.tbl("inventory")
		it.insert(it.build(map[string]string{
			"hostID": strconv.FormatInt(hid, 10), "sysuuid": v.Get("sysuuid"), "createdTime": s.nowString(),
		}))
	}
	task := s.hostTask(hid)
	if task == nil || isSnapinType(task.int("typeID")) || task.int("typeID") == 14 {
		return text(s.ipxeMenu(web, nodeIP, loadedValue(hostSchema, h, "name")))
	}
	return text(s.ipxeTaskKernel(web, h, task))
}

func (s *Server) ipxeTaskKernel(web string, h, task row) string {
	typeID := task.int("typeID")
	node := s.tbl("storagenode").get(task.int("storagenodeID"))
	if node == nil {
		node = s.tbl("storagenode").get(1)
	}
	nodeIP, nodePath := "", ""
	if node != nil {
		nodeIP, nodePath = node["ip"], strings.TrimRight(node["path"], "/")
	}
	pm := s.hostPrimaryMAC(h.int("id"))
	mac := ""
	if pm != nil {
		mac = pm["mac"]
	}
	args := []string{"bzImage", "loglevel=4", "initrd=init.xz", "root=/dev/ram0", "rw", "ramdisk_size=275000",
		"web=http://" + web + "/fog/", "consoleblank=0", "rootfstype=ext4", "nvme_core.default_ps_max_latency_us=0",
		"mac=" + mac, "ftp=" + nodeIP}
	tt := s.tbl("tasktype").get(typeID)
	if isImagingType(typeID) {
		img := s.tbl("image").get(task.int("imageID"))
		storage := nodeIP + ":" + nodePath + "/"
		if isCaptureType(typeID) {
			storage += "dev/"
		}
		imgType, partType := "", ""
		if it := s.imageTypeRow(img); it != nil {
			imgType = it["type"]
		}
		if pt := s.partTypeRow(img); pt != nil {
			partType = pt["type"]
		}
		args = append(args, "storage="+storage, "storageip="+nodeIP, "osid="+strconv.FormatInt(img.int("osID"), 10),
			"irqpoll", "hostname="+h["name"], "chkdsk=0", "img="+img["path"], "imgType="+imgType,
			"imgPartitionType="+partType, "imgid="+strconv.FormatInt(img.int("id"), 10),
			"imgFormat="+strconv.FormatInt(mysqlToInt(img["format"]), 10),
			"PIGZ_COMP=-"+strconv.FormatInt(img.int("compress"), 10), "hostearly=1")
		if isCaptureType(typeID) {
			args = append(args, "pct="+s.settingLocked("FOG_CAPTURERESIZEPCT"), "ignorepg=1")
		}
		if isDebugType(typeID) {
			args = append(args, "mode=debug")
		}
		if typeID == 8 {
			args = append(args, "mc=yes")
		}
		args = append(args, map[bool]string{true: "type=up", false: "type=down"}[isCaptureType(typeID)])
	} else {
		args = append(args, "storage="+nodeIP+":"+nodePath+"/", "storageip="+nodeIP, "irqpoll",
			"hostname="+h["name"], "chkdsk=0")
		if tt != nil && tt["kernelArgs"] != "" {
			args = append(args, tt["kernelArgs"])
		}
	}
	if tt != nil && tt["kernel"] != "" && !isImagingType(typeID) {
		return "kernel " + tt["kernel"] + "\nboot\n"
	}
	return "kernel " + strings.Join(args, " ") + "\nimgfetch init.xz\nboot\n"
}

func isDebugType(id int64) bool { return id == 15 || id == 16 }

// ipxeMenu is the boot menu of a registered host (hostName set) or of an
// unknown machine.
func (s *Server) ipxeMenu(web, nodeIP, hostName string) string {
	var b strings.Builder
	b.WriteString("cpuid --ext 29 && set arch x86_64 || set arch i386\ngoto get_console\n:console_set\n" +
		"colour --rgb 0x00567a 1 ||\ncolour --rgb 0x00567a 2 ||\ncolour --rgb 0x00567a 4 ||\n" +
		"cpair --foreground 7 --background 2 2 ||\ngoto MENU\n:alt_console\ncpair --background 0 1 ||\n" +
		"cpair --background 1 2 ||\ngoto MENU\n:get_console\nconsole --picture http://" + web +
		"/fog/service/ipxe/bg.png --left 100 --right 80 && goto console_set || goto alt_console\n:MENU\nmenu\n" +
		"colour --rgb 0x00567a 0 ||\ncpair --foreground 1 1 ||\ncpair --foreground 0 3 ||\ncpair --foreground 4 4 ||\n")
	type item struct{ id, label string }
	var items []item
	if hostName != "" {
		b.WriteString("item --gap Host is registered as " + hostName + "!\n")
		items = []item{{"fog.local", "Boot from hard disk"}, {"fog.memtest", "Run Memtest86+"},
			{"fog.keyreg", "Update Product Key"}, {"fog.deployimage", "Deploy Image"},
			{"fog.multijoin", "Join Multicast Session"}, {"fog.quickdel", "Quick Host Deletion"},
			{"fog.sysinfo", "Client System Information (Compatibility)"}}
	} else {
		b.WriteString("item --gap Host is NOT registered!\n")
		items = []item{{"fog.local", "Boot from hard disk"}, {"fog.memtest", "Run Memtest86+"},
			{"fog.reginput", "Perform Full Host Registration and Inventory"},
			{"fog.reg", "Quick Registration and Inventory"}, {"fog.deployimage", "Deploy Image"},
			{"fog.multijoin", "Join Multicast Session"}, {"fog.sysinfo", "Client System Information (Compatibility)"}}
	}
	b.WriteString("item --gap -- -------------------------------------\n")
	for _, it := range items {
		b.WriteString("item " + it.id + " " + it.label + "\n")
	}
	b.WriteString("choose --default fog.local --timeout 3000 target && goto ${target}\n" +
		":fog.local\nsanboot --no-describe --drive 0x80 || goto MENU\n:fog.memtest\n" +
		"kernel memdisk initrd=memtest.bin iso raw\ninitrd memtest.bin\nboot || goto MENU\n")
	param := func(label, p string) {
		b.WriteString(":" + label + "\nlogin\nparams\nparam mac0 ${net0/mac}\nparam arch ${arch}\n" +
			"param username ${username}\nparam password ${password}\nparam " + p + " 1\n" +
			"isset ${net1/mac} && param mac1 ${net1/mac} || goto bootme\n" +
			"isset ${net2/mac} && param mac2 ${net2/mac} || goto bootme\nparam sysuuid ${uuid}\n")
	}
	if hostName != "" {
		param("fog.keyreg", "keyreg")
		param("fog.deployimage", "qihost")
		param("fog.multijoin", "sessionJoin")
		param("fog.quickdel", "delhost")
	} else {
		b.WriteString(":fog.reginput\nkernel bzImage loglevel=4 initrd=init.xz root=/dev/ram0 rw ramdisk_size=275000 web=http://" +
			web + "/fog/ consoleblank=0 rootfstype=ext4 storage=" + nodeIP + ":/images/ storageip=" + nodeIP +
			" nvme_core.default_ps_max_latency_us=0 loglevel=4 mode=manreg\nimgfetch init.xz\nboot || goto MENU\n")
		b.WriteString(":fog.reg\nkernel bzImage loglevel=4 initrd=init.xz root=/dev/ram0 rw ramdisk_size=275000 web=http://" +
			web + "/fog/ consoleblank=0 rootfstype=ext4 storage=" + nodeIP + ":/images/ storageip=" + nodeIP +
			" nvme_core.default_ps_max_latency_us=0 loglevel=4 mode=autoreg\nimgfetch init.xz\nboot || goto MENU\n")
		param("fog.deployimage", "qihost")
		param("fog.multijoin", "sessionJoin")
	}
	b.WriteString(":fog.sysinfo\nkernel bzImage loglevel=4 initrd=init.xz root=/dev/ram0 rw ramdisk_size=275000 web=http://" +
		web + "/fog/ consoleblank=0 rootfstype=ext4 storage=" + nodeIP + ":/images/ storageip=" + nodeIP +
		" nvme_core.default_ps_max_latency_us=0 loglevel=4 mode=sysinfo\nimgfetch init.xz\nboot || goto MENU\n" +
		":bootme\nchain -ar http://" + web + "/fog/service/ipxe/boot.php##params ||\ngoto MENU\nautoboot\n")
	return b.String()
}
