package fogclient

import "context"

// Task states (class "taskstate"). FOG has no "failed" state: a failed imaging
// run simply stops reporting.
const (
	TaskStateQueued     int64 = 1
	TaskStateCheckedIn  int64 = 2
	TaskStateInProgress int64 = 3
	TaskStateComplete   int64 = 4
	TaskStateCancelled  int64 = 5
)

// Task type ids of a stock FOG 1.5.9 that the client treats specially.
const (
	TaskTypeDeploy          int64 = 1
	TaskTypeCapture         int64 = 2
	TaskTypeMulticast       int64 = 8
	TaskTypeAllSnapins      int64 = 12
	TaskTypeSingleSnapin    int64 = 13
	TaskTypeWakeUp          int64 = 14
	TaskTypeDeployDebug     int64 = 15
	TaskTypeCaptureDebug    int64 = 16
	TaskTypeDeployNoSnapins int64 = 17
)

// Task is a FOG task (class "task"). Strings are HTML-unescaped; the nested
// storage node (which carries its FTP password) is never decoded.
type Task struct {
	ID            int64
	Name          string
	HostID        int64
	HostName      string
	TypeID        int64
	TypeName      string
	StateID       int64 // 0 is "new" (multicast), see TaskState* constants
	StateName     string
	Percent       int64  // pct, 0..100
	PercentText   string // the raw "percent" text, e.g. "12.50"
	BPM           string
	TimeElapsed   string
	TimeRemaining string
	DataCopied    string
	DataTotal     string
	ImageID       int64
	ImageName     string
	CreatedTime   string
	CreatedBy     string
	CheckInTime   string
	Shutdown      bool
	Debug         bool
	WOL           bool
}

// Active reports whether FOG counts the task as active (state 0..3).
func (t Task) Active() bool { return t.StateID >= 0 && t.StateID <= TaskStateInProgress }

// TaskCreate is the body of CreateHostTask. The JSON key FOG reads is
// "taskTypeID" (not "taskType" as in the public docs).
type TaskCreate struct {
	TypeID        int64
	TaskName      string
	Shutdown      bool
	Debug         bool
	WOL           bool
	DeploySnapins bool
}

// MulticastSession is a row of /fog/multicastsession.
type MulticastSession struct {
	ID      int64
	Name    string
	ImageID int64
	StateID int64
	Clients int64
	Port    int64
}

// CreateHostTask creates a task for a host (POST /fog/host/{id}/task) and
// returns it. FOG answers "" or null instead of the task, so the client finds
// it in /fog/task/active by host and type. For types whose row FOG deletes at
// once (Wake-Up), it returns (nil, nil).
func (c *Client) CreateHostTask(ctx context.Context, hostID int64, in TaskCreate) (*Task, error) {
	panic("fogclient: not implemented yet")
}

// ActiveTasks lists tasks in states 0-3 (GET /fog/task/active).
func (c *Client) ActiveTasks(ctx context.Context) ([]Task, error) {
	panic("fogclient: not implemented yet")
}

// ActiveTasksForHost lists one host's active tasks (body {"hostID": N}).
func (c *Client) ActiveTasksForHost(ctx context.Context, hostID int64) ([]Task, error) {
	panic("fogclient: not implemented yet")
}

// ListTasks lists every task, finished ones included (GET /fog/task).
func (c *Client) ListTasks(ctx context.Context) ([]Task, error) {
	panic("fogclient: not implemented yet")
}

// GetTask reads one task (GET /fog/task/{id}); ErrNotFound when FOG purged it.
func (c *Client) GetTask(ctx context.Context, id int64) (*Task, error) {
	panic("fogclient: not implemented yet")
}

// CancelTask cancels one task safely: only when id is in the active list a
// moment before, and always with the body {"id": id}, so that a task that
// vanishes in between cannot turn the request into FOG's cancel-everything
// (fog-edge-recordings A). Returns ErrTaskNotActive when the task is not active.
func (c *Client) CancelTask(ctx context.Context, id int64) error {
	panic("fogclient: not implemented yet")
}

// ActiveMulticastSessions lists sessions in states 0-3 (GET /fog/multicastsession/current).
func (c *Client) ActiveMulticastSessions(ctx context.Context) ([]MulticastSession, error) {
	panic("fogclient: not implemented yet")
}
