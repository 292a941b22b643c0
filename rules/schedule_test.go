package rules

import (
	"strings"
	"testing"
)

// TestScheduleExpressions checks the two syntaxes side by side: Application Auto Scaling's
// (a leading seconds field allowed), EventBridge Scheduler's (exactly six cron fields) and
// EventBridge rules' (no at(), the rate unit agrees with the value).
func TestScheduleExpressions(t *testing.T) {
	for _, c := range []struct {
		expr                      string
		scaling, scheduler, rules string // "" when valid, else a part of the message
	}{
		{"cron(0 2 * * ? *)", "", "", ""},
		{"cron(0 9 ? * MON-FRI *)", "", "", ""},
		{"cron(0 0 2 * * ? *)", "", "takes 6 fields", "takes 6 fields"},
		{"cron(15 10 ? * 6L 2027-2029)", "", "", ""},
		{"cron(0 8 ? * 3#2 *)", "", "", ""},
		{"cron(0 8 ? * 3#1,6#3 *)", "one expression only", "one expression only", "one expression only"},
		{"cron(0 2 * * * *)", "exactly one of day-of-month and day-of-week", "exactly one of day-of-month and day-of-week", "exactly one of"},
		{"cron(0 24 * * ? *)", "hours field", "hours field", "hours field"},
		{"0 22 * * *", "needs cron() around six fields", "needs cron() around six fields", "needs cron()"},
		{"rate(5 minutes)", "", "", ""},
		{"rate(1 hour)", "", "", ""},
		{"rate(1 hours)", "", "", "singular for 1"},
		{"rate(5 minute)", "", "", "rate(5 minutes)"},
		{"rate(0 days)", "positive whole number", "positive whole number", "positive whole number"},
		{"rate(2 weeks)", "minute(s), hour(s) or day(s)", "minute(s), hour(s) or day(s)", "minute(s)"},
		{"at(2027-01-01T09:00:00)", "", "", "no one-time at()"},
		{"at(2027-01-01 09:00)", "yyyy-mm-ddThh:mm:ss", "yyyy-mm-ddThh:mm:ss", "no one-time at()"},
	} {
		for _, k := range []struct {
			name string
			err  error
			want string
			id   string
		}{
			{"scaling", CheckScalingSchedule("S", c.expr), c.scaling, ScheduleExpression.ID},
			{"scheduler", CheckSchedulerExpression("S", c.expr), c.scheduler, SchedulerSchedule.ID},
			{"rules", CheckEventsRuleExpression("S", c.expr), c.rules, EventsRuleSchedule.ID},
		} {
			switch {
			case k.want == "" && k.err != nil:
				t.Errorf("%s %q: unexpected %v", k.name, c.expr, k.err)
			case k.want != "" && (k.err == nil || !strings.Contains(k.err.Error(), k.want) || !strings.Contains(k.err.Error(), k.id)):
				t.Errorf("%s %q: want %s %q, got %v", k.name, c.expr, k.id, k.want, k.err)
			}
		}
	}
}

func TestSchedulerRanges(t *testing.T) {
	for _, tz := range []string{"UTC", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "Etc/GMT+9"} {
		if err := CheckTimeZone("TZ", tz); err != nil {
			t.Errorf("%s: %v", tz, err)
		}
	}
	for _, tz := range []string{"", "Local", "Asia/Tokio", "JST+9", "/etc/localtime"} {
		if err := CheckTimeZone("TZ", tz); err == nil || !strings.Contains(err.Error(), "ECS091") {
			t.Errorf("%q: want ECS091, got %v", tz, err)
		}
	}
	if err := CheckRetryPolicy("Age", 59, "Attempts", 186); len(Leaves(err)) != 2 {
		t.Errorf("want two violations, got %v", err)
	}
	if err := CheckRetryPolicy("Age", 86400, "Attempts", 0); err != nil {
		t.Errorf("limits are valid: %v", err)
	}
	if CheckFlexibleWindow("W", 0) == nil || CheckFlexibleWindow("W", 1441) == nil || CheckFlexibleWindow("W", 1440) != nil {
		t.Error("flexible window range is 1-1440")
	}
	if CheckScheduledTaskCount("N", 11) == nil || CheckScheduledTaskCount("N", 0) == nil || CheckScheduledTaskCount("N", 10) != nil {
		t.Error("task count range is 1-10")
	}
}
