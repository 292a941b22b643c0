package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ScheduleRuns is one schedule of a template with the times it runs next.
type ScheduleRuns struct {
	Template, LogicalID, Path string
	// Property is where the expression is (ScheduleExpression, ScheduledActions.0.Schedule).
	Property   string
	Expression string
	TimeZone   string
	// Next holds the next run times of a cron or at() expression in TimeZone (an at() in the
	// past has none); Every describes a rate() expression, which counts from the schedule's start.
	Next  []time.Time
	Every string
}

// runHorizon bounds the search for the next runs of a cron expression.
const runHorizon = 5 * 366

// Schedules lists the schedules of t whose expression and time zone are literal and valid,
// with their next n runs after now: Scheduler schedules, EventBridge scheduled rules (UTC) and
// Application Auto Scaling scheduled actions.
func Schedules(t *Template, now time.Time, n int) []ScheduleRuns {
	var out []ScheduleRuns
	add := func(r *Resource, prop string, expr, tz any) {
		e, ok := strOf(expr)
		if !ok {
			return
		}
		zone := "UTC"
		if tz != nil {
			if zone, ok = strOf(tz); !ok {
				return
			}
		}
		next, every, err := NextRuns(e, zone, now, n)
		if err != nil {
			return
		}
		out = append(out, ScheduleRuns{Template: t.Name, LogicalID: r.LogicalID, Path: r.Path, Property: prop,
			Expression: e, TimeZone: zone, Next: next, Every: every})
	}
	for _, r := range t.SortedResources("AWS::Scheduler::Schedule") {
		add(r, "ScheduleExpression", r.Get("ScheduleExpression"), r.Get("ScheduleExpressionTimezone"))
	}
	for _, r := range t.SortedResources("AWS::Events::Rule") {
		add(r, "ScheduleExpression", r.Get("ScheduleExpression"), nil)
	}
	for _, r := range t.SortedResources("AWS::ApplicationAutoScaling::ScalableTarget") {
		for i, a := range listOf(r.Get("ScheduledActions")) {
			add(r, fmt.Sprintf("ScheduledActions.%d.Schedule", i), lookup(a, "Schedule"), lookup(a, "Timezone"))
		}
	}
	return out
}

// NextRuns computes, in pure Go, the next n runs after now of a cron(...) or at(...)
// expression read in the IANA time zone tz; for rate(...), which counts from the schedule's
// start, it returns a description instead. The expression must pass the syntax checks (a
// leading seconds field is ignored). A local time that a daylight saving change skips is shown
// as Go normalizes it (an hour later); Scheduler's own handling is described in its user guide,
// "Daylight savings time".
func NextRuns(expr, tz string, now time.Time, n int) (next []time.Time, every string, err error) {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" || tz == "Local" {
		return nil, "", fmt.Errorf("time zone %q", tz)
	}
	if err := CheckScalingSchedule("expression", expr); err != nil {
		return nil, "", err
	}
	kind, body, _ := strings.Cut(strings.TrimSuffix(expr, ")"), "(")
	switch kind {
	case "rate":
		return nil, "every " + body + " from the schedule's start", nil
	case "at":
		t, err := time.ParseInLocation("2006-01-02T15:04:05", body, loc)
		if err != nil {
			return nil, "", err
		}
		if t.After(now) {
			next = []time.Time{t}
		}
		return next, "", nil
	}
	f := strings.Fields(body)
	if len(f) == 7 {
		f = f[1:]
	}
	c, err := parseCron(f)
	if err != nil {
		return nil, "", err
	}
	local := now.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	for i := 0; i < runHorizon && len(next) < n; i++ {
		d := day.AddDate(0, 0, i)
		if !c.years[d.Year()] || !c.months[int(d.Month())] || !c.day(d) {
			continue
		}
		for h := 0; h < 24 && len(next) < n; h++ {
			if !c.hours[h] {
				continue
			}
			for m := 0; m < 60 && len(next) < n; m++ {
				if t := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc); c.minutes[m] && t.After(now) {
					next = append(next, t)
				}
			}
		}
	}
	return next, "", nil
}

// cron is a parsed cron expression: value sets and a day predicate.
type cron struct {
	minutes, hours, months, years map[int]bool
	day                           func(time.Time) bool
}

func parseCron(f []string) (*cron, error) {
	c := &cron{}
	var err error
	sets := []*map[int]bool{&c.minutes, &c.hours, nil, &c.months, nil, &c.years}
	for i, set := range sets {
		if set == nil {
			continue
		}
		if *set, err = cronFields[i].set(f[i]); err != nil {
			return nil, err
		}
	}
	if f[2] == "?" {
		c.day, err = dayOfWeek(f[4])
	} else {
		c.day, err = dayOfMonth(f[2])
	}
	return c, err
}

// set expands a field of plain values, ranges, steps and * into its values.
func (cf cronField) set(s string) (map[int]bool, error) {
	out := map[int]bool{}
	for _, item := range strings.Split(s, ",") {
		base, stepStr, hasStep := strings.Cut(item, "/")
		step := 1
		if hasStep {
			var err error
			if step, err = strconv.Atoi(stepStr); err != nil || step < 1 {
				return nil, fmt.Errorf("%s: step %q", cf.name, stepStr)
			}
		}
		lo, hi := cf.lo, cf.hi
		if base != "*" {
			a, b, isRange := strings.Cut(base, "-")
			var ok bool
			if lo, ok = cf.value(a); !ok {
				return nil, fmt.Errorf("%s: value %q", cf.name, a)
			}
			hi = lo
			if isRange {
				if hi, ok = cf.value(b); !ok {
					return nil, fmt.Errorf("%s: value %q", cf.name, b)
				}
			} else if hasStep {
				hi = cf.hi
			}
		}
		if hi < lo { // a range that wraps, such as FRI-MON or 22-2
			for v := lo; v <= cf.hi; v += step {
				out[v] = true
			}
			for v := cf.lo; v <= hi; v += step {
				out[v] = true
			}
			continue
		}
		for v := lo; v <= hi; v += step {
			out[v] = true
		}
	}
	return out, nil
}

func lastDay(d time.Time) int {
	return time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, d.Location()).Day()
}

// weekday is the cron day-of-week number of d: 1 (SUN) to 7 (SAT).
func weekday(d time.Time) int { return int(d.Weekday()) + 1 }

// nearestWeekday is the weekday (MON-FRI) nearest to day n of d's month, within the month.
func nearestWeekday(d time.Time, n int) int {
	n = min(n, lastDay(d))
	t := time.Date(d.Year(), d.Month(), n, 0, 0, 0, 0, d.Location())
	switch t.Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == lastDay(d) {
			return n - 2
		}
		return n + 1
	}
	return n
}

func dayOfMonth(s string) (func(time.Time) bool, error) {
	switch {
	case s == "L":
		return func(d time.Time) bool { return d.Day() == lastDay(d) }, nil
	case s == "LW":
		return func(d time.Time) bool { return d.Day() == nearestWeekday(d, lastDay(d)) }, nil
	case strings.HasSuffix(s, "W"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "W"))
		if err != nil {
			return nil, err
		}
		return func(d time.Time) bool { return d.Day() == nearestWeekday(d, n) }, nil
	}
	days, err := cronFields[2].set(s)
	if err != nil {
		return nil, err
	}
	return func(d time.Time) bool { return days[d.Day()] }, nil
}

func dayOfWeek(s string) (func(time.Time) bool, error) {
	dow := cronFields[4]
	switch {
	case s == "L":
		return func(d time.Time) bool { return weekday(d) == 7 }, nil
	case strings.Contains(s, "#"):
		a, b, _ := strings.Cut(s, "#")
		w, ok := dow.value(a)
		k, err := strconv.Atoi(b)
		if !ok || err != nil {
			return nil, fmt.Errorf("day-of-week %q", s)
		}
		return func(d time.Time) bool { return weekday(d) == w && (d.Day()-1)/7+1 == k }, nil
	case strings.HasSuffix(s, "L"):
		w, ok := dow.value(strings.TrimSuffix(s, "L"))
		if !ok {
			return nil, fmt.Errorf("day-of-week %q", s)
		}
		return func(d time.Time) bool { return weekday(d) == w && d.Day()+7 > lastDay(d) }, nil
	}
	days, err := dow.set(s)
	if err != nil {
		return nil, err
	}
	return func(d time.Time) bool { return days[weekday(d)] }, nil
}
