package fogclient

import "context"

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

// IsDeploy, IsCapture and IsImaging classify a task type the way FOG's
// server does (fog-api.md 3.1).
func (t TaskType) IsDeploy() bool  { panic("fogclient: not implemented yet") }
func (t TaskType) IsCapture() bool { panic("fogclient: not implemented yet") }
func (t TaskType) IsImaging() bool { return t.IsDeploy() || t.IsCapture() }

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

func (c *Client) TaskTypes(ctx context.Context) ([]TaskType, error) {
	panic("fogclient: not implemented yet")
}

func (c *Client) ImageTypes(ctx context.Context) ([]ImageType, error) {
	panic("fogclient: not implemented yet")
}

func (c *Client) PartitionTypes(ctx context.Context) ([]PartitionType, error) {
	panic("fogclient: not implemented yet")
}

func (c *Client) OperatingSystems(ctx context.Context) ([]OperatingSystem, error) {
	panic("fogclient: not implemented yet")
}

func (c *Client) StorageGroups(ctx context.Context) ([]StorageGroup, error) {
	panic("fogclient: not implemented yet")
}
