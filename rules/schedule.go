package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var containerName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// CheckScalingSchedule checks an Application Auto Scaling scheduled action's Schedule:
// at(yyyy-mm-ddThh:mm:ss), rate(value unit) with unit minute(s), hour(s) or day(s), or
// cron(minutes hours day-of-month month day-of-week year) (docScheduledAction; the field values
// and special characters are EventBridge's, which the Application Auto Scaling User Guide,
// "Scheduled scaling using cron expressions", refers to).
func CheckScalingSchedule(prop, expr string) error {
	return checkExpression(ScheduleExpression, prop, expr, scalingSyntax)
}

// CheckEventsRuleExpression checks the ScheduleExpression of an EventBridge scheduled rule
// (docEventsRuleSchedule): rate(value unit), where the unit is singular for 1 and plural
// above, or cron() with six fields; rules have no one-time at().
func CheckEventsRuleExpression(prop, expr string) error {
	return checkExpression(EventsRuleSchedule, prop, expr, rulesSyntax)
}

// syntax is one service's dialect of schedule expressions.
type syntax int

const (
	scalingSyntax   syntax = iota // Application Auto Scaling: an optional leading seconds field
	schedulerSyntax               // EventBridge Scheduler
	rulesSyntax                   // EventBridge scheduled rules: no at(), unit agrees with the value
)

// CheckSchedulerExpression checks an EventBridge Scheduler schedule expression
// (docSchedulerTypes): at(yyyy-mm-ddThh:mm:ss), rate(value unit) with unit minutes, hours or
// days, or cron() with exactly the six fields (Scheduler takes no seconds field).
func CheckSchedulerExpression(prop, expr string) error {
	return checkExpression(SchedulerSchedule, prop, expr, schedulerSyntax)
}

// checkExpression checks an at, rate or cron expression in the dialect syn against rule r.
func checkExpression(r Rule, prop, expr string, syn syntax) error {
	bad := func(format string, args ...any) error {
		return violation(r, prop, fmt.Sprintf("%q", expr), format, args...)
	}
	kind, body, ok := strings.Cut(expr, "(")
	if !ok || !strings.HasSuffix(body, ")") {
		return bad("must be at(...), rate(...) or cron(...); a bare cron like \"0 22 * * *\" needs cron() around six fields, e.g. cron(0 22 * * ? *)")
	}
	body = strings.TrimSuffix(body, ")")
	switch kind {
	case "at":
		if syn == rulesSyntax {
			return bad("EventBridge rules have no one-time at() schedule: use EventBridge Scheduler (AWS::Scheduler::Schedule)")
		}
		if _, err := time.Parse("2006-01-02T15:04:05", body); err != nil {
			return bad("at() takes a date and time as yyyy-mm-ddThh:mm:ss, e.g. at(2026-12-31T22:00:00)")
		}
		return nil
	case "rate":
		return checkRate(body, syn == rulesSyntax, bad)
	case "cron":
		return checkCron(body, syn == scalingSyntax, bad)
	}
	return bad("%q is not a schedule type: use at, rate or cron", kind)
}

// checkRate checks rate(value unit); agree requires a singular unit for 1 and a plural one
// above, as EventBridge rules do.
func checkRate(body string, agree bool, bad func(string, ...any) error) error {
	f := strings.Fields(body)
	if len(f) != 2 {
		return bad("rate() takes a value and a unit, e.g. rate(5 minutes)")
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 1 {
		return bad("the rate value must be a positive whole number")
	}
	unit := strings.TrimSuffix(f[1], "s")
	if unit != "minute" && unit != "hour" && unit != "day" {
		return bad("the rate unit must be minute(s), hour(s) or day(s)")
	}
	if agree && (n == 1) == strings.HasSuffix(f[1], "s") {
		return bad("with EventBridge rules the unit is singular for 1 and plural above: rate(1 %s) or rate(%d %ss)", unit, max(n, 2), unit)
	}
	// Application Auto Scaling and Scheduler do not tie the unit's form to the value, so
	// rate(1 minutes) is not rejected for them.
	return nil
}

// cronField is one field of a cron expression: its name, range, names for values, and the
// special characters it accepts besides , - * /.
type cronField struct {
	name     string
	lo, hi   int
	names    []string // names[i] stands for lo+i
	specials string
}

var cronFields = []cronField{
	{name: "minutes", lo: 0, hi: 59},
	{name: "hours", lo: 0, hi: 23},
	{name: "day-of-month", lo: 1, hi: 31, specials: "?LW"},
	{name: "month", lo: 1, hi: 12, names: strings.Fields("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC")},
	{name: "day-of-week", lo: 1, hi: 7, names: strings.Fields("SUN MON TUE WED THU FRI SAT"), specials: "?L#"},
	{name: "year", lo: 1970, hi: 2199},
}

func checkCron(body string, seconds bool, bad func(string, ...any) error) error {
	f := strings.Fields(body)
	if seconds && len(f) == len(cronFields)+1 {
		// The user guide accepts a leading seconds field (the second is not guaranteed).
		if msg := (cronField{name: "seconds", lo: 0, hi: 59}).check(f[0]); msg != "" {
			return bad("seconds field %q: %s", f[0], msg)
		}
		f = f[1:]
	}
	if len(f) != len(cronFields) {
		return bad("cron() takes 6 fields (minutes hours day-of-month month day-of-week year), not %d", len(f))
	}
	for i, cf := range cronFields {
		if msg := cf.check(f[i]); msg != "" {
			return bad("%s field %q: %s", cf.name, f[i], msg)
		}
	}
	if strings.Contains(f[4], "#") && strings.Contains(f[4], ",") {
		return bad("day-of-week field %q: with # the field holds one expression only (3#1,6#3 is two)", f[4])
	}
	if (f[2] == "?") == (f[4] == "?") {
		return bad("exactly one of day-of-month and day-of-week must be ? (e.g. cron(0 22 * * ? *) or cron(0 8 ? * MON-FRI *))")
	}
	return nil
}

func (cf cronField) value(s string) (int, bool) {
	for i, n := range cf.names {
		if strings.EqualFold(s, n) {
			return cf.lo + i, true
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= cf.lo && n <= cf.hi
}

// check returns "" when s is a valid value of the field, else what is wrong.
func (cf cronField) check(s string) string {
	if s == "?" {
		if strings.Contains(cf.specials, "?") {
			return ""
		}
		return "? is allowed only in day-of-month and day-of-week"
	}
	rangeMsg := fmt.Sprintf("values are %d-%d", cf.lo, cf.hi)
	if len(cf.names) > 0 {
		rangeMsg += fmt.Sprintf(" or %s-%s", cf.names[0], cf.names[len(cf.names)-1])
	}
	for _, item := range strings.Split(s, ",") {
		if item == "" {
			return "an empty list item"
		}
		if msg := cf.checkItem(item); msg != "" {
			if msg == "range" {
				return rangeMsg
			}
			return msg
		}
	}
	return ""
}

func (cf cronField) checkItem(item string) string {
	switch {
	case strings.Contains(cf.specials, "W") && (item == "L" || item == "LW"):
		return ""
	case strings.Contains(cf.specials, "W") && strings.HasSuffix(item, "W"):
		if _, ok := cf.value(strings.TrimSuffix(item, "W")); ok {
			return ""
		}
		return "W follows a day of the month (15W)"
	case strings.Contains(cf.specials, "#") && strings.Contains(item, "#"):
		d, n, _ := strings.Cut(item, "#")
		k, err := strconv.Atoi(n)
		if _, ok := cf.value(d); ok && err == nil && k >= 1 && k <= 5 {
			return ""
		}
		return "# takes a weekday and its occurrence 1-5 in the month (3#2)"
	case strings.Contains(cf.specials, "#") && strings.HasSuffix(item, "L"):
		if d := strings.TrimSuffix(item, "L"); d == "" {
			return ""
		} else if _, ok := cf.value(d); ok {
			return ""
		}
		return "L follows a weekday (5L: the last Thursday)"
	}
	base, step, hasStep := strings.Cut(item, "/")
	if hasStep {
		n, err := strconv.Atoi(step)
		if err != nil || n < 1 {
			return "the increment after / must be a positive number"
		}
	}
	if base == "*" {
		return ""
	}
	lo, hi, isRange := strings.Cut(base, "-")
	if _, ok := cf.value(lo); !ok {
		return "range"
	}
	if isRange {
		if _, ok := cf.value(hi); !ok {
			return "range"
		}
	}
	return ""
}
