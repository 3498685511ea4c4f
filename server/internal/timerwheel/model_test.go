package timerwheel

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// modelTimer is a pending timer as the model sees it.
type modelTimer struct {
	id       int
	deadline int64
	period   int64
	seq      int  // arming order; a repeat arms again
	dueList  bool // armed with its deadline already passed: first in the next Advance
}

// model is the wheel's specification written the simple way: pending timers in a map, and an
// Advance that sorts the due ones.
type model struct {
	origin, tick, now int64
	seq               int
	pending           map[int]*modelTimer
	firing            []*modelTimer // the running Advance's timers, in the order they must fire
	next              int           // index in firing of the next to fire
}

func (m *model) arm(mt *modelTimer) {
	mt.seq = m.seq
	m.seq++
	mt.dueList = mt.deadline <= m.now
	m.pending[mt.id] = mt
}

func (m *model) expiry(mt *modelTimer) int64 { return expiryTime(m.origin, m.tick, mt.deadline) }

// beginAdvance moves the clock and lists the timers due, in firing order: those armed already
// due, in arming order, then the others by expiry tick and arming order.
func (m *model) beginAdvance(now int64) {
	m.now = max(m.now, now)
	m.firing, m.next = m.firing[:0], 0
	for _, mt := range m.pending {
		if mt.dueList || m.expiry(mt) <= m.now {
			m.firing = append(m.firing, mt)
		}
	}
	sort.Slice(m.firing, func(a, b int) bool {
		x, y := m.firing[a], m.firing[b]
		if x.dueList != y.dueList {
			return x.dueList
		}
		if !x.dueList && m.expiry(x) != m.expiry(y) {
			return m.expiry(x) < m.expiry(y)
		}
		return x.seq < y.seq
	})
}

// fireNext returns the timer that must fire next in the running Advance, applying the firing
// (a one-shot timer ends, a repeat is armed again), or nil when none is left.
func (m *model) fireNext() *modelTimer {
	for m.next < len(m.firing) {
		mt := m.firing[m.next]
		m.next++
		if m.pending[mt.id] != mt {
			continue // cancelled by an earlier callback
		}
		if mt.period == 0 {
			delete(m.pending, mt.id)
		} else {
			mt.deadline = addSaturating(mt.deadline, mt.period)
			m.arm(mt)
		}
		return mt
	}
	return nil
}

// nextExpiry returns what NextDeadline must not exceed: the present when a timer is due,
// otherwise the earliest expiry.
func (m *model) nextExpiry() (int64, bool) {
	first, ok := int64(0), false
	for _, mt := range m.pending {
		e := m.expiry(mt)
		if mt.dueList {
			e = m.now
		}
		if !ok || e < first {
			first, ok = e, true
		}
	}
	return first, ok
}

// harness runs a wheel and the model in lockstep and fails at the first difference.
type harness struct {
	t           *testing.T
	rng         *rand.Rand
	w           *Wheel
	m           *model
	handles     map[int]Handle // every timer ever scheduled, ended ones included
	nextID      int
	cancelRate  int  // percent of operations that cancel
	cancelled   bool // a pending timer has been cancelled: NextDeadline may be early since
	draining    bool // callbacks neither schedule nor cancel
	fired       int
	idleWakeups int
}

func (h *harness) fail(format string, args ...any) {
	h.t.Helper()
	h.t.Fatalf("now %d: %s", h.m.now, fmt.Sprintf(format, args...))
}

// delay draws a delay spread over every level, with some already due.
func (h *harness) delay() int64 {
	tick := h.m.tick
	switch h.rng.IntN(8) {
	case 0:
		return -h.rng.Int64N(3 * tick) // already due
	case 1:
		return h.rng.Int64N(tick + 1)
	case 2:
		return h.rng.Int64N(64 * tick)
	case 3:
		return h.rng.Int64N(5000 * tick)
	case 4:
		return h.rng.Int64N(300_000 * tick)
	case 5:
		return h.rng.Int64N(int64(time.Hour))
	case 6:
		return h.rng.Int64N(40 * day)
	}
	return 64*tick*h.rng.Int64N(4) + h.rng.Int64N(3) - 1 // around level boundaries
}

func (h *harness) schedule() {
	id := h.nextID
	h.nextID++
	mt := &modelTimer{id: id}
	d := h.delay()
	var hd Handle
	switch h.rng.IntN(10) {
	case 0:
		// Some periods are shorter than the tick: such a timer runs once per Advance.
		mt.period = 1 + h.rng.Int64N(100*h.m.tick)
		mt.deadline = addSaturating(h.m.now, d)
		hd = h.w.ScheduleAtFixedRate(time.Duration(d), time.Duration(mt.period), h.callback, id)
	case 1, 2, 3, 4:
		mt.deadline = addSaturating(h.m.now, d)
		hd = h.w.ScheduleAt(mt.deadline, h.callback, id)
	default:
		mt.deadline = addSaturating(h.m.now, d)
		hd = h.w.Schedule(time.Duration(d), h.callback, id)
	}
	h.handles[id] = hd
	h.m.arm(mt)
}

func (h *harness) cancel() {
	if h.nextID == 0 {
		return
	}
	id := h.rng.IntN(h.nextID)
	_, want := h.m.pending[id]
	if got := h.w.Cancel(h.handles[id]); got != want {
		h.fail("Cancel of timer %d = %v, model says %v", id, got, want)
	}
	h.cancelled = h.cancelled || want
	delete(h.m.pending, id)
}

// callback is every timer's callback: it checks the timer is the one the model fires next,
// then schedules or cancels at random, as callbacks may.
func (h *harness) callback(arg any) {
	id := arg.(int)
	want := h.m.fireNext()
	if want == nil || want.id != id {
		h.fail("timer %d fired, model fires %v", id, want)
	}
	h.fired++
	if h.draining {
		return
	}
	switch r := h.rng.IntN(100); {
	case r < 8:
		h.schedule()
	case r < 8+h.cancelRate:
		h.cancel()
	}
}

func (h *harness) advance(now int64) {
	h.m.beginAdvance(now)
	before := h.fired
	n := h.w.Advance(now)
	if left := h.m.fireNext(); left != nil {
		h.fail("Advance returned with timer %d due by the model not fired", left.id)
	}
	if n != h.fired-before {
		h.fail("Advance returned %d, %d callbacks ran", n, h.fired-before)
	}
	if n == 0 {
		h.idleWakeups++
	}
}

func (h *harness) check() {
	if h.w.Now() != h.m.now {
		h.fail("Now = %d, model %d", h.w.Now(), h.m.now)
	}
	if h.w.Len() != len(h.m.pending) {
		h.fail("Len = %d, model %d", h.w.Len(), len(h.m.pending))
	}
	got, ok := h.w.NextDeadline()
	want, wantOK := h.m.nextExpiry()
	switch {
	case ok != wantOK:
		h.fail("NextDeadline ok = %v, model %v", ok, wantOK)
	case !ok:
	case got > want:
		h.fail("NextDeadline = %d, after the earliest expiry %d", got, want)
	case !h.cancelled && got != want:
		h.fail("NextDeadline = %d with no cancels, want exactly %d", got, want)
	case want > h.m.now && got <= h.m.now:
		h.fail("NextDeadline = %d, not after the present with nothing due", got)
	}
}

// step does one random operation from outside the callbacks.
func (h *harness) step() {
	tick := h.m.tick
	switch r := h.rng.IntN(100); {
	case r < 40:
		h.schedule()
	case r < 40+h.cancelRate:
		h.cancel()
	case r < 60:
		if next, ok := h.w.NextDeadline(); ok {
			h.advance(next) // as the loop does after its poller wait
		}
	case r < 70:
		h.advance(h.m.now + h.rng.Int64N(3*tick))
	case r < 80:
		h.advance(h.m.now + h.rng.Int64N(200*tick))
	case r < 85:
		h.advance(h.m.now + h.rng.Int64N(int64(2*time.Hour)))
	case r < 87:
		h.advance(h.m.now + h.rng.Int64N(60*day))
	case r < 88:
		h.advance(h.m.now - h.rng.Int64N(10*tick)) // a clock read earlier counts as the present
	case r < 89:
		if got, want := h.w.Clear(), len(h.m.pending); got != want {
			h.fail("Clear dropped %d, model %d", got, want)
		}
		clear(h.m.pending)
	default:
		h.advance(h.m.now)
	}
	h.check()
}

// drain stops the repeating timers and lets the one-shot timers fire, waking at NextDeadline
// as the loop would, to check that every pending timer fires in the end and that the loop is
// not woken again and again for nothing.
func (h *harness) drain() {
	for id, mt := range h.m.pending {
		if mt.period != 0 && !h.w.Cancel(h.handles[id]) {
			h.fail("Cancel of the repeating timer %d failed", id)
		}
		if mt.period != 0 {
			delete(h.m.pending, id)
			h.cancelled = true
		}
	}
	h.draining = true
	for idle := 0; len(h.m.pending) > 0; {
		next, ok := h.w.NextDeadline()
		if !ok {
			h.fail("NextDeadline reports nothing with %d timers pending", len(h.m.pending))
		}
		before := h.fired
		h.advance(next)
		h.check()
		if h.fired > before {
			idle = 0
		} else if idle++; idle > 2*levels {
			h.fail("%d wake-ups at NextDeadline (%d) in a row fired nothing", idle, next)
		}
	}
}

func TestWheelMatchesASortedModelOverManySeeds(t *testing.T) {
	ticks := []int64{1, 7, int64(time.Microsecond), ms, int64(time.Second) + 3}
	seeds := 1000
	if testing.Short() {
		seeds = 100
	}
	fired, idle := 0, 0
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 0x7469_6d65_7277))
		tick := ticks[seed%len(ticks)]
		origin := rng.Int64N(1<<50) - 1<<49
		cancelRate := []int{0, 10, 25}[seed%3]
		h := &harness{
			t:          t,
			rng:        rng,
			w:          New(origin, time.Duration(tick)),
			m:          &model{origin: origin, tick: tick, now: origin, pending: map[int]*modelTimer{}},
			handles:    map[int]Handle{},
			cancelRate: cancelRate,
		}
		for range 600 {
			h.step()
		}
		h.drain()
		fired += h.fired
		idle += h.idleWakeups
	}
	t.Logf("%d seeds, %d firings checked against the model, %d Advances that fired nothing", seeds, fired, idle)
}
