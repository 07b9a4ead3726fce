// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"regexp"
)

type TaskType struct {
	ID              int64
	Name            string
	Description     string
	KernelArgs      string
	Access          string // "both", "host" or "group"
	IsAdvanced      bool
	IsSnapinTasking bool
}

// FOG's patterns (TaskType::isDeploy, isCapture, isMulticast in
// lib/fog/tasktype.class.php), unanchored: they match anywhere in kernelArgs.
var (
	deployArgsRe    = regexp.MustCompile(`(?i)type=(1|8|15|17|24|down)`)
	captureArgsRe   = regexp.MustCompile(`(?i)type=(2|16|up)`)
	multicastArgsRe = regexp.MustCompile(`(?i)(type=8|mc=yes)`)
)

// IsDeploy, IsCapture and IsImaging classify a task type as FOG does
// (reference/fog-api.md §3.1), false without a valid id.
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

func (t TaskType) IsMulticast() bool {
	if t.ID <= 0 {
		return false
	}
	return t.ID == 8 || multicastArgsRe.MatchString(t.KernelArgs)
}

type ImageType struct {
	ID   int64
	Name string
	Type string
}

type PartitionType struct {
	ID   int64
	Name string
	Type string
}

type OperatingSystem struct {
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

type idNameType struct {
	ID   flexInt    `json:"id"`
	Name flexString `json:"name"`
	Type flexString `json:"type"`
}

type idNameDesc struct {
	ID          flexInt    `json:"id"`
	Name        flexString `json:"name"`
	Description flexString `json:"description"`
}

func (c *Client) TaskTypes(ctx context.Context) ([]TaskType, error) {
	return listOf(ctx, c, "/tasktype", "tasktypes", nil, (*taskTypeWire).taskType)
}

func (c *Client) ImageTypes(ctx context.Context) ([]ImageType, error) {
	return listOf(ctx, c, "/imagetype", "imagetypes", nil, func(w *idNameType) ImageType {
		return ImageType{ID: int64(w.ID), Name: string(w.Name), Type: string(w.Type)}
	})
}

func (c *Client) PartitionTypes(ctx context.Context) ([]PartitionType, error) {
	return listOf(ctx, c, "/imagepartitiontype", "imagepartitiontypes", nil, func(w *idNameType) PartitionType {
		return PartitionType{ID: int64(w.ID), Name: string(w.Name), Type: string(w.Type)}
	})
}

// OperatingSystems lists /fog/os, whose plural key is "oss".
func (c *Client) OperatingSystems(ctx context.Context) ([]OperatingSystem, error) {
	return listOf(ctx, c, "/os", "oss", nil, func(w *idNameDesc) OperatingSystem {
		return OperatingSystem{ID: int64(w.ID), Name: string(w.Name), Description: string(w.Description)}
	})
}
