// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import "context"

// HostInventory is a host's hardware inventory as FOG's client reported it
// (class inventory, recordings 778-780), strings HTML-unescaped. A host that
// was never inventoried has no row (recording 774).
type HostInventory struct {
	ID            int64
	HostID        int64
	PrimaryUser   string
	Other1        string
	Other2        string
	CreatedTime   string
	SysMan        string
	SysProduct    string
	SysVersion    string
	SysSerial     string
	SysUUID       string
	SysType       string
	BIOSVersion   string
	BIOSVendor    string
	BIOSDate      string
	MBMan         string
	MBProductName string
	MBVersion     string
	MBSerial      string
	MBAsset       string
	CPUMan        string
	CPUVersion    string
	CPUCurrent    string
	CPUMax        string
	// Mem is the raw /proc/meminfo line ("MemTotal: 8049116 kB"); Memory is
	// FOG's rendering of it ("7.68 GiB").
	Mem        string
	Memory     string
	HDModel    string
	HDSerial   string
	HDFirmware string
	CaseMan    string
	CaseVer    string
	CaseSerial string
	CaseAsset  string
}

type inventoryWire struct {
	ID            flexInt    `json:"id"`
	HostID        flexInt    `json:"hostID"`
	PrimaryUser   flexString `json:"primaryUser"`
	Other1        flexString `json:"other1"`
	Other2        flexString `json:"other2"`
	CreatedTime   flexString `json:"createdTime"`
	SysMan        flexString `json:"sysman"`
	SysProduct    flexString `json:"sysproduct"`
	SysVersion    flexString `json:"sysversion"`
	SysSerial     flexString `json:"sysserial"`
	SysUUID       flexString `json:"sysuuid"`
	SysType       flexString `json:"systype"`
	BIOSVersion   flexString `json:"biosversion"`
	BIOSVendor    flexString `json:"biosvendor"`
	BIOSDate      flexString `json:"biosdate"`
	MBMan         flexString `json:"mbman"`
	MBProductName flexString `json:"mbproductname"`
	MBVersion     flexString `json:"mbversion"`
	MBSerial      flexString `json:"mbserial"`
	MBAsset       flexString `json:"mbasset"`
	CPUMan        flexString `json:"cpuman"`
	CPUVersion    flexString `json:"cpuversion"`
	CPUCurrent    flexString `json:"cpucurrent"`
	CPUMax        flexString `json:"cpumax"`
	Mem           flexString `json:"mem"`
	Memory        flexString `json:"memory"`
	HDModel       flexString `json:"hdmodel"`
	HDSerial      flexString `json:"hdserial"`
	HDFirmware    flexString `json:"hdfirmware"`
	CaseMan       flexString `json:"caseman"`
	CaseVer       flexString `json:"casever"`
	CaseSerial    flexString `json:"caseserial"`
	CaseAsset     flexString `json:"caseasset"`
}

func (w *inventoryWire) inventory() HostInventory {
	return HostInventory{
		ID: int64(w.ID), HostID: int64(w.HostID), PrimaryUser: string(w.PrimaryUser), Other1: string(w.Other1),
		Other2: string(w.Other2), CreatedTime: string(w.CreatedTime), SysMan: string(w.SysMan),
		SysProduct: string(w.SysProduct), SysVersion: string(w.SysVersion), SysSerial: string(w.SysSerial),
		SysUUID: string(w.SysUUID), SysType: string(w.SysType), BIOSVersion: string(w.BIOSVersion),
		BIOSVendor: string(w.BIOSVendor), BIOSDate: string(w.BIOSDate), MBMan: string(w.MBMan),
		MBProductName: string(w.MBProductName), MBVersion: string(w.MBVersion), MBSerial: string(w.MBSerial),
		MBAsset: string(w.MBAsset), CPUMan: string(w.CPUMan), CPUVersion: string(w.CPUVersion),
		CPUCurrent: string(w.CPUCurrent), CPUMax: string(w.CPUMax), Mem: string(w.Mem), Memory: string(w.Memory),
		HDModel: string(w.HDModel), HDSerial: string(w.HDSerial), HDFirmware: string(w.HDFirmware),
		CaseMan: string(w.CaseMan), CaseVer: string(w.CaseVer), CaseSerial: string(w.CaseSerial),
		CaseAsset: string(w.CaseAsset),
	}
}

// GetHostInventory returns the inventory row of a host, nil when FOG has
// none (a host never inventoried, recording 774). The list key is
// "inventorys" (sic).
func (c *Client) GetHostInventory(ctx context.Context, hostID int64) (*HostInventory, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	rows, err := listOf(ctx, c, "/inventory", "inventorys", map[string]any{"hostID": hostID}, (*inventoryWire).inventory)
	if err != nil {
		return nil, err
	}
	// iHostID is unique: a second create overwrites the row (recording 781).
	for i := range rows {
		if rows[i].HostID == hostID {
			return &rows[i], nil
		}
	}
	return nil, nil
}
