package server

import (
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server/internal/timerwheel"
)

// Work and timers on the loops (api.IEventLoop, api.IEventLoopGroup). Each loop keeps its
// timers in a hierarchical timing wheel (internal/timerwheel), advanced at the end of every
// turn; its earliest deadline bounds the loop's next wait, so pending timers cost no CPU until
// one is due. A function submitted from another goroutine travels through the loop's task
// queue, as every request does. A scheduled function is a schedTask: pooled, and named by a
// handle that carries its generation, so that a handle kept past the task's end cannot cancel
// the task that reuses it.

var (
	_ api.IEventLoop      = (*eventloop)(nil)
	_ api.IEventLoopGroup = (*loopGroup)(nil)
	_ api.EventLoopConn   = (*conn)(nil)
	_ api.TaskCanceller   = (*schedTask)(nil)
)

// EventLoop returns the loop that serves c.
func (c *conn) EventLoop() api.IEventLoop { return c.el }

// Index returns the loop's index in its group.
func (el *eventloop) Index() int { return el.idx }

// clock is the loop's monotonic time in nanoseconds, the wheel's clock.
func (el *eventloop) clock() int64 { return int64(time.Since(el.clockOrigin)) }

// endTurn is the poller's end-of-turn function: due timers run, then everything the turn's
// events, tasks and timers queued is written, and every requested close finished, once per
// connection; the next timer's deadline bounds the next wait.
func (el *eventloop) endTurn() (time.Duration, error) {
	// hot path: no allocation
	if el.timers.Len() > 0 {
		el.timers.Advance(el.clock())
	}
	el.flushDirty()
	el.flushDatagrams()
	el.noteServing(nil)
	deadline, ok := el.timers.NextDeadline()
	if !ok {
		return -1, nil
	}
	return max(time.Duration(deadline-el.timers.Now()), 0), nil
}

// Execute runs task on the loop; see api.IEventLoop.
func (el *eventloop) Execute(task func()) error {
	if task == nil {
		return api.ErrInvalidSchedule
	}
	// A func value is one pointer: passing it as the task's argument does not allocate.
	return el.trigger(el.execute, task)
}

// runExecuted is the task behind Execute, bound to its loop once (eventloop.execute) so that
// a call allocates nothing.
func (el *eventloop) runExecuted(arg any) error {
	el.runTask(arg.(func()))
	return nil
}

// Schedule runs task on the loop after delay; see api.IEventLoop.
func (el *eventloop) Schedule(delay time.Duration, task func()) (api.ScheduledTask, error) {
	return el.schedule(delay, 0, task)
}

// ScheduleAtFixedRate runs task on the loop after initialDelay, then every period; see
// api.IEventLoop.
func (el *eventloop) ScheduleAtFixedRate(initialDelay, period time.Duration, task func()) (api.ScheduledTask, error) {
	if period <= 0 {
		return api.ScheduledTask{}, api.ErrInvalidSchedule
	}
	return el.schedule(initialDelay, period, task)
}

// schedule arms a timer for task: on the loop at once, from elsewhere through the task queue.
func (el *eventloop) schedule(delay, period time.Duration, task func()) (api.ScheduledTask, error) {
	if task == nil {
		return api.ScheduledTask{}, api.ErrInvalidSchedule
	}
	if el.halted.Load() {
		return api.ScheduledTask{}, ErrServerShutdown
	}
	t := newSchedTask(el, task, delay, period)
	handle := api.NewScheduledTask(t, t.word.Load()>>taskGenShift)
	if el.onLoop() {
		t.arm()
		return handle, nil
	}
	if err := el.trigger(runArmTask, t); err != nil {
		return api.ScheduledTask{}, err
	}
	return handle, nil
}

// schedTask is one scheduled function. Its word packs, for any goroutine to read and change
// with one atomic operation, the task's generation (which changes when the task is recycled),
// whether it repeats, and its state; the other fields are the loop's.
type schedTask struct {
	el     *eventloop // set when made, never changed
	word   atomic.Uint64
	fn     func()
	delay  time.Duration
	period time.Duration
	// timer is the task's timer in the wheel, once armed is set.
	timer timerwheel.Handle
	armed bool
}

// The word of a schedTask: generation<<taskGenShift | repeats<<2 | state.
const (
	taskPending  = 1 // waiting to run (a repeating task: to run again)
	taskRunning  = 2 // its function runs now
	taskEnded    = 3 // ran, or cancelled: it will not run (again)
	taskStateBit = 3
	taskRepeats  = 1 << 2
	taskGenShift = 3
)

// newSchedTask returns a pending task from the loop's pool, of a new generation. A task stays
// with the loop it was made for, so its el never changes and a stale handle may read it.
func newSchedTask(el *eventloop, fn func(), delay, period time.Duration) *schedTask {
	t := el.taskPool.Get().(*schedTask)
	t.fn, t.delay, t.period = fn, delay, period
	gen := t.word.Load() >> taskGenShift
	word := gen<<taskGenShift | taskPending
	if period > 0 {
		word |= taskRepeats
	}
	t.word.Store(word)
	return t
}

// recycle returns t to the pool with its next generation, which makes every handle to it stale.
// Only the loop calls it, once t can no longer run and is out of the wheel.
func (t *schedTask) recycle() {
	gen := t.word.Load() >> taskGenShift
	t.word.Store((gen + 1) << taskGenShift)
	t.fn, t.timer, t.armed = nil, timerwheel.Handle{}, false
	t.el.taskPool.Put(t)
}

// state returns t's state and whether its generation is still gen.
func (t *schedTask) state(gen uint64) (state uint64, current bool) {
	word := t.word.Load()
	return word & taskStateBit, word>>taskGenShift == gen
}

// transition moves t of generation gen from one state to another, atomically, and reports
// whether it did.
func (t *schedTask) transition(gen, from, to uint64) bool {
	word := t.word.Load()
	if word>>taskGenShift != gen || word&taskStateBit != from {
		return false
	}
	return t.word.CompareAndSwap(word, word&^taskStateBit|to)
}

// runArmTask is the task behind a Schedule from another goroutine.
func runArmTask(arg any) error {
	arg.(*schedTask).arm()
	return nil
}

// arm puts t in the loop's wheel, unless it was cancelled on its way to the loop.
func (t *schedTask) arm() {
	gen := t.word.Load() >> taskGenShift
	if state, _ := t.state(gen); state != taskPending {
		t.recycle()
		return
	}
	w := t.el.timers
	// The wheel counts a delay from its own now, the time of its last Advance, which is in the
	// past (long past for a loop that has been idle): the delay counts from the clock instead,
	// so that the task never runs early.
	delay := t.delay + time.Duration(t.el.clock()-w.Now())
	if t.period > 0 {
		t.timer = w.ScheduleAtFixedRate(delay, t.period, fireSchedTask, t)
	} else {
		t.timer = w.Schedule(delay, fireSchedTask, t)
	}
	t.armed = true
}

// fireSchedTask is the wheel's callback for a task that is due.
func fireSchedTask(arg any) {
	t := arg.(*schedTask)
	el := t.el
	gen := t.word.Load() >> taskGenShift
	if !t.transition(gen, taskPending, taskRunning) {
		// Cancelled from another goroutine; its clean-up task may still be on its way and
		// finds the task gone.
		t.disarm()
		return
	}
	el.runTask(t.fn)
	if t.period > 0 && t.transition(gen, taskRunning, taskPending) {
		return // runs again at its next deadline
	}
	t.word.Store(gen<<taskGenShift | taskEnded) // a one-shot task, or one cancelled while it ran
	t.disarm()
}

// disarm takes t out of the wheel and recycles it.
func (t *schedTask) disarm() {
	t.el.timers.Cancel(t.timer) // false for a one-shot timer that has fired: nothing to take out
	t.recycle()
}

// runTask runs fn on the loop, containing a panic as one in a callback is.
func (el *eventloop) runTask(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			el.cfg.logger.Errorf("gnet: task on loop %d panicked: %v\n%s", el.idx, r, debug.Stack())
		}
	}()
	fn()
}

// CancelTask cancels t if id is still its generation; see api.ScheduledTask.Cancel.
func (t *schedTask) CancelTask(id uint64) bool {
	el := t.el
	if el.halted.Load() {
		return false
	}
	word := t.word.Load()
	if word>>taskGenShift != id {
		return false
	}
	repeats := word&taskRepeats != 0
	switch {
	case t.transition(id, taskPending, taskEnded):
	case repeats && t.transition(id, taskRunning, taskEnded):
		return true // its run finishes; fireSchedTask then takes it out
	default:
		return false
	}
	if el.onLoop() {
		if t.armed {
			t.disarm()
		} // else its arming is on its way and finds it cancelled
		return true
	}
	// The timer is the loop's: ask it to take the task out now rather than at its deadline.
	// When the loop has stopped, the wheel is gone with it.
	_ = el.trigger(runDisarmTask, t)
	return true
}

// runDisarmTask is the task behind a Cancel from another goroutine. Only the loop recycles a
// task, and only once it has ended and left the wheel, so t is either still the cancelled
// task, armed, or has left the wheel already (it fired, saw the cancel and was recycled,
// maybe reused): an armed task that has ended is the cancelled one, or one cancelled since,
// whose own request then finds it gone.
func runDisarmTask(arg any) error {
	t := arg.(*schedTask)
	if t.armed && t.word.Load()&taskStateBit == taskEnded {
		t.disarm()
	}
	return nil
}

// loopGroup is a server's loops as an api.IEventLoopGroup.
type loopGroup struct {
	srv  *server
	next atomic.Uint32
}

// Len returns how many loops there are.
func (g *loopGroup) Len() int { return len(g.srv.loops) }

// Loop returns the loop of index i.
func (g *loopGroup) Loop(i int) api.IEventLoop {
	if i < 0 || i >= len(g.srv.loops) {
		panic(fmt.Sprintf("gnet: loop index %d out of range [0, %d)", i, len(g.srv.loops)))
	}
	return g.srv.loops[i]
}

// Next returns the loop the balancing policy picks: the one with the fewest connections under
// LeastConnections, otherwise the next in turn.
func (g *loopGroup) Next() api.IEventLoop {
	loops := g.srv.loops
	if g.srv.cfg.LoadBalancing == LeastConnections {
		return leastConnections(loops).pick(nil)
	}
	return loops[int(g.next.Add(1)-1)%len(loops)]
}
