// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"regexp"
)

// TaskType is a row of /fog/tasktype.
type TaskType struct {
	ID              int64
	Name            string
	Description     string
	KernelArgs      string
	Access          string // "both", "host" or "group"
	IsAdvanced      bool
	IsSnapinTasking bool
}

// FOG's own patterns (TaskType::isDeploy, isCapture, isMulticast in
// lib/fog/tasktype.class.php): case-insensitive and unanchored, so they match
// anywhere in kernelArgs.
var (
	deployArgsRe    = regexp.MustCompile(`(?i)type=(1|8|15|17|24|down)`)
	captureArgsRe   = regexp.MustCompile(`(?i)type=(2|16|up)`)
	multicastArgsRe = regexp.MustCompile(`(?i)(type=8|mc=yes)`)
)

// IsDeploy, IsCapture and IsImaging classify a task type the way FOG's
// server does (fog-api.md 3.1): deploy is id 1, 8, 15, 17 or 24, or
// kernelArgs containing type=1|8|15|17|24|down; capture is id 2 or 16, or
// kernelArgs containing type=2|16|up. Like FOG's, they are false for a type
// without a valid id.
func (t TaskType) IsDeploy() bool {
	if t.ID <= 0 {
		return false
	}
	switch t.ID {
	case 1, 8, 15, 17, 24:
		return true
	}
	return deployArgsRe.MatchString(t.KernelArgs)
}

func (t TaskType) IsCapture() bool {
	if t.ID <= 0 {
		return false
	}
	switch t.ID {
	case 2, 16:
		return true
	}
	return captureArgsRe.MatchString(t.KernelArgs)
}

func (t TaskType) IsImaging() bool { return t.IsDeploy() || t.IsCapture() }

// IsMulticast reports FOG's multicast rule: id 8, or kernelArgs containing
// type=8 or mc=yes.
func (t TaskType) IsMulticast() bool {
	if t.ID <= 0 {
		return false
	}
	return t.ID == 8 || multicastArgsRe.MatchString(t.KernelArgs)
}

// ImageType is a row of /fog/imagetype.
type ImageType struct {
	ID   int64
	Name string
	Type string
}

// PartitionType is a row of /fog/imagepartitiontype.
type PartitionType struct {
	ID   int64
	Name string
	Type string
}

// OperatingSystem is a row of /fog/os.
type OperatingSystem struct {
	ID          int64
	Name        string
	Description string
}

// StorageGroup is a row of /fog/storagegroup.
type StorageGroup struct {
	ID          int64
	Name        string
	Description string
}

type taskTypeWire struct {
	ID              flexInt    `json:"id"`
	Name            flexString `json:"name"`
	Description     flexString `json:"description"`
	KernelArgs      flexString `json:"kernelArgs"`
	Access          flexString `json:"access"`
	IsAdvanced      flexString `json:"isAdvanced"`
	IsSnapinTasking flexBool   `json:"isSnapinTasking"`
}

func (w *taskTypeWire) taskType() TaskType {
	return TaskType{
		ID:              int64(w.ID),
		Name:            string(w.Name),
		Description:     string(w.Description),
		KernelArgs:      string(w.KernelArgs),
		Access:          string(w.Access),
		IsAdvanced:      isFlagSet(w.IsAdvanced),
		IsSnapinTasking: bool(w.IsSnapinTasking),
	}
}

// idNameType is the shape of imagetype and imagepartitiontype rows.
type idNameType struct {
	ID   flexInt    `json:"id"`
	Name flexString `json:"name"`
	Type flexString `json:"type"`
}

// idNameDesc is the shape of os and storagegroup rows.
type idNameDesc struct {
	ID          flexInt    `json:"id"`
	Name        flexString `json:"name"`
	Description flexString `json:"description"`
}

// TaskTypes lists the task types (GET /fog/tasktype), sorted by name as FOG
// sends them.
func (c *Client) TaskTypes(ctx context.Context) ([]TaskType, error) {
	return listOf(ctx, c, "/tasktype", "tasktypes", nil, (*taskTypeWire).taskType)
}

// ImageTypes lists the image types (GET /fog/imagetype).
func (c *Client) ImageTypes(ctx context.Context) ([]ImageType, error) {
	return listOf(ctx, c, "/imagetype", "imagetypes", nil, func(w *idNameType) ImageType {
		return ImageType{ID: int64(w.ID), Name: string(w.Name), Type: string(w.Type)}
	})
}

// PartitionTypes lists the image partition types (GET /fog/imagepartitiontype).
func (c *Client) PartitionTypes(ctx context.Context) ([]PartitionType, error) {
	return listOf(ctx, c, "/imagepartitiontype", "imagepartitiontypes", nil, func(w *idNameType) PartitionType {
		return PartitionType{ID: int64(w.ID), Name: string(w.Name), Type: string(w.Type)}
	})
}

// OperatingSystems lists the OS rows (GET /fog/os; FOG's plural key is "oss").
func (c *Client) OperatingSystems(ctx context.Context) ([]OperatingSystem, error) {
	return listOf(ctx, c, "/os", "oss", nil, func(w *idNameDesc) OperatingSystem {
		return OperatingSystem{ID: int64(w.ID), Name: string(w.Name), Description: string(w.Description)}
	})
}

// StorageGroups lists the storage groups (GET /fog/storagegroup).
func (c *Client) StorageGroups(ctx context.Context) ([]StorageGroup, error) {
	return listOf(ctx, c, "/storagegroup", "storagegroups", nil, func(w *idNameDesc) StorageGroup {
		return StorageGroup{ID: int64(w.ID), Name: string(w.Name), Description: string(w.Description)}
	})
}
